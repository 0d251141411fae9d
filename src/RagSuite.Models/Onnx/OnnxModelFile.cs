using Google.Protobuf;
using RagSuite.Models.Onnx.Proto;

namespace RagSuite.Models.Onnx;

/// <summary>Reads and writes <c>.onnx</c> files; a file that is not an ONNX model is an <see cref="InvalidDataException"/>.</summary>
public static class OnnxModelFile
{
    public static ModelProto Read(string path)
    {
        try
        {
            using var input = File.OpenRead(path);
            return ModelProto.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model: {e.Message}", e);
        }
    }

    public static void Write(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var output = File.Create(path);
        model.WriteTo(output);
    }
}
