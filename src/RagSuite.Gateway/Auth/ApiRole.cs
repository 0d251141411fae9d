namespace RagSuite.Gateway.Auth;

/// <summary>What a key may do; each role may do everything the one before it may.</summary>
public enum ApiRole
{
    /// <summary>Query, chat, list and read collections, documents and models.</summary>
    Read,
    /// <summary>And ingest and delete documents.</summary>
    Write,
    /// <summary>And create and delete collections.</summary>
    Admin,
}
