namespace Orchestrator.Abstractions.Filters;

/// <summary>A numeric value in Postgres' order: -Infinity (rank -1), the finite numbers (rank 0), Infinity (1), NaN (2).</summary>
internal readonly record struct FilterNumber(int Rank, decimal Value) : IComparable
{
    public int CompareTo(object? obj)
    {
        var other = (FilterNumber)obj!;
        return Rank != other.Rank ? Rank.CompareTo(other.Rank) : Rank == 0 ? Value.CompareTo(other.Value) : 0;
    }
}

/// <summary>A float in Postgres' order: NaN equals NaN and is above every other value; -0 equals 0.</summary>
internal readonly record struct FilterFloat(double Value) : IComparable
{
    public int CompareTo(object? obj)
    {
        var other = ((FilterFloat)obj!).Value;
        return double.IsNaN(Value) || double.IsNaN(other)
            ? double.IsNaN(Value).CompareTo(double.IsNaN(other))
            : Value.CompareTo(other);
    }
}

/// <summary>A text in code point order, as <c>COLLATE "C"</c> orders UTF-8.</summary>
internal readonly record struct FilterText(string Value) : IComparable
{
    public int CompareTo(object? obj)
    {
        var other = ((FilterText)obj!).Value;
        var left = Value.EnumerateRunes();
        var right = other.EnumerateRunes();
        while (true)
        {
            var hasLeft = left.MoveNext();
            var hasRight = right.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft.CompareTo(hasRight);
            }

            var order = left.Current.Value.CompareTo(right.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }
}
