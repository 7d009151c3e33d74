namespace PaySim.LoadEngine;

public enum ComparisonOperator
{
    LessThan,
    LessOrEqual,
    GreaterThan,
    GreaterOrEqual,
    Equal,
    NotEqual,
}
