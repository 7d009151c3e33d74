# syntax=docker/dockerfile:1
# PaySim.Wallet: build from the repository root so every project reference resolves:
#   docker build -f docker/wallet.Dockerfile -t paysim/wallet:dev .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so a source edit does not re-download packages.
COPY global.json Directory.Build.props Directory.Packages.props Simulator.sln ./
COPY src/Directory.Build.props src/
COPY protos/ protos/
COPY src/Contracts/Contracts.csproj src/Contracts/
COPY src/LoadEngine/LoadEngine.csproj src/LoadEngine/
COPY src/Simulator/Simulator.csproj src/Simulator/
COPY src/Wallet/Wallet.csproj src/Wallet/
COPY src/LoadTests/LoadTests.csproj src/LoadTests/
RUN dotnet restore src/Wallet/Wallet.csproj
COPY src/ src/
COPY plans/ plans/
RUN dotnet publish src/Wallet/Wallet.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
EXPOSE 7300 7301
# The database lives on a volume; instances in one container share it (docs/wallet.md).
ENTRYPOINT ["dotnet", "/app/PaySim.Wallet.dll", "--bind", "0.0.0.0", "--db", "/data/wallet.db"]
