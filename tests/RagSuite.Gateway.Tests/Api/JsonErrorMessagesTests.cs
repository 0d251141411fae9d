using System.Text;
using System.Text.Json;
using RagSuite.Gateway.Api;

namespace RagSuite.Gateway.Tests.Api;

public sealed class JsonErrorMessagesTests
{
    private static string Describe(string json)
    {
        var options = new JsonSerializerOptions();
        GatewayHost.ConfigureJson(options);
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<QueryBody>(Encoding.UTF8.GetBytes(json), options));
        return JsonErrorMessages.Describe(error);
    }

    [Theory]
    [InlineData("""{"top_k": "5"}""", "top_k: expected a number, not a string")]
    [InlineData("""{"question": 5}""", "question: expected a string, not a number")]
    [InlineData("""{"top_k": 1e40}""", "top_k: expected a whole number in range")]
    [InlineData("""{"stream": "yes"}""", "stream: expected a boolean, not a string")]
    [InlineData("""{"bogus": 1}""", "'bogus' is not a field of this request")]
    [InlineData("""{"question": "a", "question": "b"}""", "question")]
    public void Messages_speak_JSON_not_dotnet(string json, string expected)
    {
        var message = Describe(json);

        Assert.Contains(expected, message);
        Assert.DoesNotContain("System.", message);
        Assert.DoesNotContain("RagSuite.", message);
    }
}
