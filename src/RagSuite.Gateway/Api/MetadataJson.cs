using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Api;

/// <summary>Converts document metadata between JSON and protobuf: scalars and flat arrays of scalars only.</summary>
public static class MetadataJson
{
    public const int MaxKeys = 64;
    public const int MaxKeyLength = 128;
    public const int MaxStringLength = 4096;
    private static readonly string[] ReservedKeys = ["document_id"];

    public static Struct ToStruct(Dictionary<string, JsonElement>? metadata, string field, ValidationErrors errors)
    {
        var result = new Struct();
        if (metadata is null) return result;
        errors.AddIf(metadata.Count > MaxKeys, field, $"has {metadata.Count} keys; the limit is {MaxKeys}");
        foreach (var (key, value) in metadata)
        {
            var keyField = $"{field}.{key}";
            if (key.Length == 0 || key.Length > MaxKeyLength)
            {
                errors.Add(field, $"keys must be 1 to {MaxKeyLength} characters");
                continue;
            }
            if (ReservedKeys.Contains(key))
            {
                errors.Add(keyField, "is reserved; RagSuite sets it from the document id");
                continue;
            }
            if (value.ValueKind == JsonValueKind.Array)
            {
                var list = new ListValue();
                foreach (var item in value.EnumerateArray())
                {
                    if (Scalar(item, keyField, errors) is { } scalar) list.Values.Add(scalar);
                }
                result.Fields[key] = new Value { ListValue = list };
            }
            else if (Scalar(value, keyField, errors) is { } scalar)
            {
                result.Fields[key] = scalar;
            }
        }
        return result;
    }

    /// <summary>A string, number or boolean as a protobuf value; anything else is an error.</summary>
    public static Value? Scalar(JsonElement element, string field, ValidationErrors errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = element.GetString()!;
                errors.AddIf(text.Length > MaxStringLength, field, $"is longer than {MaxStringLength} characters");
                return Value.ForString(text);
            case JsonValueKind.Number:
                // GetDouble turns 1e400 into Infinity, which would come back as the string "Infinity".
                if (element.TryGetDouble(out var number) && double.IsFinite(number)) return Value.ForNumber(number);
                errors.Add(field, "is a number that does not fit a 64-bit floating point value");
                return null;
            case JsonValueKind.True or JsonValueKind.False:
                return Value.ForBool(element.GetBoolean());
            default:
                errors.Add(field, $"must be a string, number or boolean, not {element.ValueKind.ToString().ToLowerInvariant()}");
                return null;
        }
    }

    public static JsonNode? ToJson(Struct? metadata) =>
        metadata is null || metadata.Fields.Count == 0 ? null : JsonNode.Parse(JsonFormatter.Default.Format(metadata));
}
