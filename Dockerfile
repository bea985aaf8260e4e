# The actorbackup executable in a container: every verb (node, simulate, status, restore, ...).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props global.json ActorBackup.sln ./
COPY src/ src/
RUN dotnet publish src/ActorBackup.Cli/ActorBackup.Cli.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
COPY hocon/ /etc/actorbackup/
VOLUME ["/var/lib/actorbackup"]
ENTRYPOINT ["dotnet", "/app/actorbackup.dll"]
CMD ["--help"]
