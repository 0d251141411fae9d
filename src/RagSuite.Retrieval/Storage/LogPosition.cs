namespace RagSuite.Retrieval.Storage;

/// <summary>A place in a collection's log: a segment number and a byte offset in it.</summary>
internal readonly record struct LogPosition(int Segment, long Offset) : IComparable<LogPosition>
{
    public int CompareTo(LogPosition other) =>
        Segment != other.Segment ? Segment.CompareTo(other.Segment) : Offset.CompareTo(other.Offset);
}
