# Multi-stage build: the SDK image compiles, the ASP.NET runtime image runs as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/DoraCollector/DoraCollector.csproj src/DoraCollector/
# Compiled ahead of time (ReadyToRun) for the platform the image is built for (buildx's TARGETARCH,
# else this machine's), as scripts/publish.sh does for the benchmarks: a collector or a backfill
# starting JIT-compiles less while it works (docs/benchmarks.md, "The collector as the image ships
# it"). The restore fetches the compiler and the runtime pack that the publish uses.
ARG TARGETARCH
RUN case "${TARGETARCH:-$(uname -m)}" in \
      amd64|x86_64) echo linux-x64 ;; \
      arm64|aarch64) echo linux-arm64 ;; \
      *) echo "no ReadyToRun build for ${TARGETARCH:-$(uname -m)}: build for amd64 or arm64" >&2; exit 1 ;; \
    esac > /tmp/rid \
 && dotnet restore src/DoraCollector/DoraCollector.csproj -r "$(cat /tmp/rid)" -p:PublishReadyToRun=true
# Embedded in the binary: the schema. Only the service is built: the simulator and the demo
# executable stay out of the image, and .dockerignore keeps them out of the build context.
COPY migrations/ migrations/
COPY src/Shared/ src/Shared/
COPY src/DoraCollector/ src/DoraCollector/
RUN dotnet publish src/DoraCollector/DoraCollector.csproj -c Release -o /app --no-restore -p:UseAppHost=false \
      -r "$(cat /tmp/rid)" --self-contained false -p:PublishReadyToRun=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    DOTNET_gcServer=0
EXPOSE 8080
# The image's unprivileged `app` user; the root filesystem can be mounted read-only.
USER $APP_UID
# No curl in the runtime image: ask /healthz over bash's /dev/tcp.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "DoraCollector.dll"]
CMD ["serve"]
