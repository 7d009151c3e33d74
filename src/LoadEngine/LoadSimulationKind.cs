namespace PaySim.LoadEngine;

public enum LoadSimulationKind
{
    KeepConstant,
    RampingConstant,
    Iterations,
    Inject,
    RampingInject,
    InjectRandom,
    Pause,
}
