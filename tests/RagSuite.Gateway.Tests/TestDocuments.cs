namespace RagSuite.Gateway.Tests;

/// <summary>A small corpus whose answers the tests know.</summary>
internal static class TestDocuments
{
    public static readonly object Eiffel = new
    {
        id = "eiffel",
        title = "Eiffel Tower",
        text = "The Eiffel Tower is a wrought-iron lattice tower in Paris. It was completed in 1889 for the World's Fair. " +
               "The tower is 330 metres tall and was the tallest man-made structure for 41 years.",
        metadata = new { lang = "en", year = 1889, tags = new[] { "paris", "landmark" } },
    };

    public static readonly object Brandenburg = new
    {
        id = "brandenburg",
        title = "Brandenburger Tor",
        text = "Das Brandenburger Tor ist ein Denkmal in Berlin. The Brandenburg Gate was built between 1788 and 1791 on the orders of King Frederick William II.",
        metadata = new { lang = "de", year = 1791, tags = new[] { "berlin", "landmark" } },
    };

    public static readonly object Photosynthesis = new
    {
        id = "photosynthesis",
        text = "Photosynthesis converts light energy into chemical energy. Plants absorb carbon dioxide and release oxygen. " +
               "Chlorophyll in the chloroplasts absorbs mostly blue and red light.",
        metadata = new { lang = "en", year = 2021 },
    };

    public static object[] All => [Eiffel, Brandenburg, Photosynthesis];
}
