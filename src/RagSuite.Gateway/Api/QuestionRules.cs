using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Api;

/// <summary>What a question needs before it is worth searching for, alike for <c>/v1/query</c> and a chat's last user message.</summary>
public static class QuestionRules
{
    public static void Check(string question, string field, int maxChars, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(question)) errors.Add(field, "is empty");
        else if (question.Length > maxChars) errors.Add(field, $"is {question.Length} characters; the limit is {maxChars}");
        else if (!question.Any(char.IsLetterOrDigit)) errors.Add(field, "has no words to search for");
    }
}
