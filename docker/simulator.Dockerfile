# syntax=docker/dockerfile:1
# PaySim.Simulator: build from the repository root so every project reference resolves:
#   docker build -f docker/simulator.Dockerfile -t paysim/simulator:dev .
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
RUN dotnet restore src/Simulator/Simulator.csproj
COPY src/ src/
COPY plans/ plans/
RUN dotnet publish src/Simulator/Simulator.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
EXPOSE 7000 7001 7101 7102 7103 7201
# Inside a container the default 127.0.0.1 would be unreachable from other pods.
ENTRYPOINT ["dotnet", "/app/PaySim.Simulator.dll", "serve", "--bind", "0.0.0.0"]
