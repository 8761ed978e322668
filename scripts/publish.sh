#!/usr/bin/env bash
# Publishes the collector as the image ships it (the Dockerfile's publish step): Release,
# framework-dependent, compiled ahead of time (ReadyToRun) for this machine's platform, into
# .local/publish/collector (git-ignored). Prints the path of DoraCollector.dll. The benchmarks
# measure this build, so that their figures are those of what operators run.
# usage: scripts/publish.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64|arm64) rid=linux-arm64 ;;
  *) echo "error: no ReadyToRun build for the platform $(uname -m)" >&2; exit 1 ;;
esac

out="$root/.local/publish/collector"
dotnet publish "$root/src/DoraCollector/DoraCollector.csproj" -c Release -r "$rid" --self-contained false \
  -p:PublishReadyToRun=true -p:UseAppHost=false -o "$out" -warnaserror -nologo -v quiet >&2
echo "$out/DoraCollector.dll"
