using Grpc.Core;
using PaySim.Contracts.Control.V1;
using PaySim.Simulator.Control;
using PaySim.Simulator.Faults;
using PaySim.Simulator.Ledger;
using PaySim.Simulator.Faults.Serving;
using PaySim.Simulator.Risk;

namespace PaySim.Simulator.Services;

/// <summary>Control plane over gRPC. Fault calls are served by <see cref="SimulatorFaults"/>.</summary>
internal sealed class ControlService(ControlPlane control, SimulatorFaults faults, RiskControls risk) : PaySim.Contracts.Control.V1.Control.ControlBase
{
    public override Task<FaultsReply> ListFaults(ListFaultsRequest request, ServerCallContext context) => Task.FromResult(faults.List());

    public override Task<FaultsReply> ApplyFaults(ApplyFaultsRequest request, ServerCallContext context)
    {
        try
        {
            return Task.FromResult(faults.Apply(request.RulesJson));
        }
        catch (FaultRuleException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ControlLimits.Line(e.Message)));
        }
    }

    public override Task<FaultsReply> ClearFaults(ClearFaultsRequest request, ServerCallContext context)
    {
        try
        {
            return Task.FromResult(faults.Clear(request.Name));
        }
        catch (KeyNotFoundException e)
        {
            throw new RpcException(new Status(StatusCode.NotFound, ControlLimits.Line(e.Message)));
        }
    }

    public override Task<FaultsReply> LoadProfile(LoadProfileRequest request, ServerCallContext context)
    {
        try
        {
            return Task.FromResult(faults.LoadProfile(request.Name));
        }
        catch (FaultRuleException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ControlLimits.Line(e.Message)));
        }
    }

    public override Task<ListCardholdersReply> ListCardholders(ListCardholdersRequest request, ServerCallContext context)
    {
        try
        {
            return Task.FromResult(control.ListCardholders(request, context.CancellationToken));
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ControlLimits.Line(e.Message)));
        }
    }

    public override async Task StreamCardholders(ListCardholdersRequest request, IServerStreamWriter<Cardholder> responseStream, ServerCallContext context)
    {
        IEnumerable<Cardholder> rows;
        try
        {
            rows = control.StreamedCardholders(request, context.CancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ControlLimits.Line(e.Message)));
        }

        foreach (var row in rows)
        {
            await responseStream.WriteAsync(row, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<ListNodesReply> ListNodes(ListNodesRequest request, ServerCallContext context)
    {
        var reply = new ListNodesReply();
        reply.Nodes.AddRange(control.NodeControl.Nodes());
        return Task.FromResult(reply);
    }

    public override async Task<NodeStatus> SetNodeState(SetNodeStateRequest request, ServerCallContext context)
    {
        try
        {
            return await control.NodeControl.SetNodeStateAsync(request.Node, request.State).ConfigureAwait(false);
        }
        catch (KeyNotFoundException e)
        {
            throw new RpcException(new Status(StatusCode.NotFound, ControlLimits.Line(e.Message)));
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ControlLimits.Line(e.Message)));
        }
    }

    public override Task<StatsReply> GetStats(GetStatsRequest request, ServerCallContext context) => Task.FromResult(control.GetStats());

    public override Task<InvariantsReply> GetInvariants(GetInvariantsRequest request, ServerCallContext context) => Task.FromResult(control.GetInvariants());

    public override Task<LedgerReply> GetLedger(GetLedgerRequest request, ServerCallContext context)
    {
        try
        {
            return Task.FromResult(control.GetLedger(request));
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ControlLimits.Line(e.Message)));
        }
        catch (LedgerCursorException e)
        {
            throw new RpcException(new Status(e.Stale ? StatusCode.FailedPrecondition : StatusCode.InvalidArgument, ControlLimits.Line(e.Message)));
        }
    }

    public override Task<RiskReply> GetRisk(GetRiskRequest request, ServerCallContext context) =>
        Task.FromResult(new RiskReply { RiskJson = risk.Rules.ToJson() });

    public override Task<RiskReply> SetRisk(SetRiskRequest request, ServerCallContext context)
    {
        try
        {
            return Task.FromResult(new RiskReply { RiskJson = risk.Apply(request.RiskJson).ToJson() });
        }
        catch (RiskRuleException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ControlLimits.Line(e.Message)));
        }
    }

    public override Task<ResetReply> Reset(ResetRequest request, ServerCallContext context)
    {
        control.Reset();
        return Task.FromResult(new ResetReply());
    }
}
