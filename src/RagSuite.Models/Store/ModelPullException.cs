namespace RagSuite.Models.Store;

/// <summary>A model could not be fetched or converted; the message says why and what to do instead.</summary>
public sealed class ModelPullException : Exception
{
    public ModelPullException(string message) : base(message) { }

    public ModelPullException(string message, Exception innerException) : base(message, innerException) { }

    public ModelPullException() : base("The model could not be pulled.") { }
}
