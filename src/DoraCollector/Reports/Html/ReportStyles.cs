namespace DoraCollector.Reports.Html;

/// <summary>
/// The pages' only stylesheet, inline so a saved or mailed page stays whole. Colours keep at least
/// 4.5:1 contrast on white and always come with words (better, worse, the level's name), so the
/// page reads the same in grey on paper.
/// </summary>
internal static class ReportStyles
{
    public static readonly Markup Css = new("""

        :root { color-scheme: light; --text: #1b1b1b; --muted: #595959; --line: #c7c7c7; --soft: #f3f4f6;
                --better: #0b6b2c; --worse: #a3141b; --accent: #1f4e8c; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1280px; padding: 1rem 1.5rem 2rem; color: var(--text); background: #fff;
               font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
        a { color: var(--accent); }
        a:focus-visible, .scroll:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        h1 { font-size: 1.7rem; margin: .3rem 0 .4rem; }
        h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--line); }
        h4 { font-size: .95rem; margin: 0 0 .3rem; }
        .skip { position: absolute; left: -10000px; }
        .skip:focus { left: 1rem; top: .5rem; background: #fff; padding: .3rem .6rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
        .crumbs ol, .periods ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
        .crumbs li + li::before { content: "›"; margin-right: .6rem; color: var(--muted); }
        .crumbs { font-size: .9rem; }
        .period { margin: .2rem 0; }
        .notice { border-left: 4px solid var(--accent); background: var(--soft); padding: .4rem .7rem; }
        .periods, .downloads { font-size: .9rem; margin: .4rem 0; }
        .periods a[aria-current] { font-weight: 600; color: var(--text); }
        .downloads p { margin: 0; }
        .tag { display: inline-block; font-size: .75rem; font-weight: 500; border: 1px solid var(--line); border-radius: 3px;
               padding: 0 .35rem; margin-left: .4rem; vertical-align: middle; color: var(--muted); }
        .muted, .nodata, .hint, .than, .title { color: var(--muted); }
        .hint, .title { display: block; font-size: .8rem; font-weight: 400; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: .8rem; margin: .6rem 0 1.2rem; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: .7rem .8rem .4rem; break-inside: avoid;
                display: flex; flex-direction: column; }
        .card svg.trend { margin-top: auto; }
        .card .value { font-size: 1.35rem; font-weight: 600; margin: 0; }
        .change-line { margin: .1rem 0 .2rem; font-size: .9rem; }
        .level { display: inline-block; font-size: .78rem; font-weight: 600; text-transform: uppercase; letter-spacing: .03em;
                 border: 1px solid currentColor; border-radius: 3px; padding: 0 .35rem; vertical-align: middle; }
        .level-elite { color: #0b4f23; background: #dcf5e3; }
        .level-high { color: #0b3f66; background: #dcecf9; }
        .level-medium { color: #6a3d00; background: #fcefd2; }
        .level-low { color: #7c1016; background: #fbe0e1; }
        .nodata { font-style: italic; font-weight: 400; font-size: .9em; }
        .change { white-space: nowrap; }
        .change.better, .better { color: var(--better); }
        .change.worse, td.worse, .worse { color: var(--worse); }
        .change.unchanged, .change.changed, .change.no-comparison, .change.within-noise { color: var(--muted); }
        .interval { color: var(--muted); font-size: .82rem; font-variant-numeric: tabular-nums; }
        p.interval { margin: .1rem 0 0; }
        .not-enough { white-space: nowrap; }
        .verdict { font-weight: 600; }
        svg.trend { width: 100%; height: auto; display: block; }
        svg.trend .axis { stroke: #6b6b6b; stroke-width: 1; }
        svg.trend .grid { stroke: #c7c7c7; stroke-width: 1; stroke-dasharray: 3 3; }
        svg.trend .tick, svg.trend .empty { font-size: 10px; fill: #4d4d4d; }
        svg.trend .line { fill: none; stroke: var(--accent); stroke-width: 2; }
        svg.trend .point { fill: #fff; stroke: var(--accent); stroke-width: 1.5; }
        svg.trend .point.current { fill: var(--accent); }
        .scroll { overflow-x: auto; margin: .5rem 0 1rem; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; }
        caption { text-align: left; font-weight: 600; padding: .3rem 0; }
        th, td { text-align: left; vertical-align: top; padding: .35rem .55rem; border-bottom: 1px solid var(--line); }
        thead th { background: var(--soft); border-bottom: 2px solid #8a8a8a; }
        tbody th { font-weight: 500; }
        .num { font-variant-numeric: tabular-nums; white-space: nowrap; }
        tbody.activity th[scope=rowgroup] { background: var(--soft); font-weight: 600; }
        .metrics td:nth-child(2) { font-weight: 600; }
        code { font-size: .85em; }
        table.breakdown { font-size: .85rem; }
        table.breakdown td { white-space: nowrap; }
        .notes li { margin: .2rem 0; }
        .more { font-size: .9rem; }
        footer { margin-top: 2.5rem; border-top: 1px solid var(--line); font-size: .85rem; color: var(--muted); }
        @media (max-width: 640px) { body { padding: .6rem; } .cards { grid-template-columns: 1fr; } }
        @media print {
          @page { margin: 14mm 12mm; }
          body { max-width: none; padding: 0; font-size: 10pt; }
          .skip, .periods, .downloads { display: none; }
          a { color: inherit; text-decoration: none; }
          h2 { break-after: avoid; }
          .cards { grid-template-columns: repeat(3, 1fr); gap: .4rem; }
          .card, tr, figure { break-inside: avoid; }
          thead { display: table-header-group; }
          .scroll { overflow: visible; }
          table.breakdown td { white-space: normal; }
          .notice, thead th, tbody.activity th[scope=rowgroup] { background: none; }
        }

        """);
}
