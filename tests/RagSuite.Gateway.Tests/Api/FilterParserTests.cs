using System.Text.Json;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Gateway.Api;

namespace RagSuite.Gateway.Tests.Api;

public sealed class FilterParserTests
{
    private static (Filter? Filter, ValidationErrors Errors) Parse(string json)
    {
        var errors = new ValidationErrors();
        var filters = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json);
        return (FilterParser.Parse(filters, errors), errors);
    }

    [Theory]
    [InlineData("""{"lang": "en"}""", """{ "must": [ { "key": "lang", "equals": "en" } ] }""")]
    [InlineData("""{"tag": ["a", 2]}""", """{ "must": [ { "key": "tag", "anyOf": [ "a", 2 ] } ] }""")]
    [InlineData("""{"year": {"gte": 2020, "lt": 2025}}""", """{ "must": [ { "key": "year", "range": { "gte": 2020, "lt": 2025 } } ] }""")]
    [InlineData("""{"lang": {"ne": "de"}}""", """{ "mustNot": [ { "key": "lang", "equals": "de" } ] }""")]
    [InlineData("""{"tag": {"nin": ["x"], "in": ["y"]}}""", """{ "must": [ { "key": "tag", "anyOf": [ "y" ] } ], "mustNot": [ { "key": "tag", "anyOf": [ "x" ] } ] }""")]
    [InlineData("""{"draft": false}""", """{ "must": [ { "key": "draft", "equals": false } ] }""")]
    [InlineData("""{"$or": [{"lang": "en"}, {"year": {"gte": 2020}}]}""",
        """{ "should": [ { "filter": { "must": [ { "key": "lang", "equals": "en" } ] } }, { "filter": { "must": [ { "key": "year", "range": { "gte": 2020 } } ] } } ] }""")]
    [InlineData("""{"tag": "a", "$not": {"lang": "de"}}""",
        """{ "must": [ { "key": "tag", "equals": "a" } ], "mustNot": [ { "filter": { "must": [ { "key": "lang", "equals": "de" } ] } } ] }""")]
    [InlineData("""{"$and": [{"$or": [{"a": 1}, {"b": 2}]}, {"$or": [{"c": 3}, {"d": 4}]}]}""",
        """{ "must": [ { "filter": { "should": [ { "filter": { "must": [ { "key": "a", "equals": 1 } ] } }, { "filter": { "must": [ { "key": "b", "equals": 2 } ] } } ] } }, { "filter": { "should": [ { "filter": { "must": [ { "key": "c", "equals": 3 } ] } }, { "filter": { "must": [ { "key": "d", "equals": 4 } ] } } ] } } ] }""")]
    public void Rest_filters_become_conditions(string json, string expected)
    {
        var (filter, errors) = Parse(json);

        Assert.True(errors.IsEmpty);
        Assert.Equal(expected, Google.Protobuf.JsonFormatter.Default.Format(filter));
    }

    [Theory]
    [InlineData("""{"k": null}""", "filters.k")]
    [InlineData("""{"k": {}}""", "filters.k")]
    [InlineData("""{"k": []}""", "filters.k")]
    [InlineData("""{"k": [{"a": 1}]}""", "filters.k")]
    [InlineData("""{"k": {"like": "x"}}""", "filters.k.like")]
    [InlineData("""{"k": {"gt": "2020"}}""", "filters.k.gt")]
    [InlineData("""{"": 1}""", "filters")]
    [InlineData("""{"$or": {"a": 1}}""", "filters.$or")]
    [InlineData("""{"$or": []}""", "filters.$or")]
    [InlineData("""{"$and": [1]}""", "filters.$and[0]")]
    [InlineData("""{"$not": {}}""", "filters.$not")]
    [InlineData("""{"$xor": [{"a": 1}]}""", "filters.$xor")]
    [InlineData("""{"$or": [{"k": {"like": "x"}}]}""", "filters.$or[0].k.like")]
    [InlineData("""{"$not": {"$not": {"$not": {"$not": {"$not": {"a": 1}}}}}}""", "filters.$not.$not.$not.$not.$not")]
    public void Malformed_filters_name_the_key(string json, string field)
    {
        var (_, errors) = Parse(json);

        var error = Assert.Throws<RagSuiteException>(() => errors.ThrowIfAny());
        Assert.Contains(field, error.FieldErrors.Keys);
    }
}
