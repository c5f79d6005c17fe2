using System.Net;
using System.Text;
using MessagingTools.Core.Security;

namespace MessagingTools.Core.Tests;

public sealed class SecretTests
{
    private const string Key = "s3cr3t-K3y/with+signs=";

    public static TheoryData<string> EncodedForms() => new(new[]
    {
        Key,
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)),
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)).TrimEnd('='),
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        Uri.EscapeDataString(Key),
        WebUtility.UrlEncode(Key),
        System.Text.RegularExpressions.Regex.Replace(Uri.EscapeDataString(Key), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()),
    }.Distinct()); // some forms coincide for this key (no padding to trim, the same escapes)

    [Theory]
    [MemberData(nameof(EncodedForms))]
    public void RedactMasksTheSecretInEveryFormAProviderMayEchoIt(string form)
    {
        var text = $"{{\"error\":\"bad key '{form}' for bot\"}}";

        var redacted = Secret.Redact(text, new[] { new Secret(Key) });

        Assert.DoesNotContain(form, redacted);
        Assert.Contains(Secret.Mask, redacted);
        Assert.StartsWith("{\"error\":\"bad key '", redacted);
    }

    [Theory]
    [InlineData("k", "check the key k", "check the key ********")]
    [InlineData("abc", "abcd abc xabc abc.", "abcd ******** xabc ********.")]
    [InlineData("12", "row 12 of 120", "row ******** of 120")]
    public void RedactMasksWholeTokensOnlySoAShortKeyDoesNotEatWords(string key, string text, string expected)
    {
        Assert.Equal(expected, Secret.Redact(text, new[] { new Secret(key) }));
    }

    [Theory]
    [InlineData("key\r\nX-Injected: 1", "control character (U+000D) at position 4")]
    [InlineData("key\tvalue", "control character (U+0009) at position 4")]
    [InlineData("tokén", "non-ASCII character at position 4")]
    [InlineData("توکن", "non-ASCII character at position 1")]
    public void ACredentialHoldingControlOrNonAsciiCharactersIsRefused(string value, string why)
    {
        Assert.Contains(why, Secret.Refusal(value));
        var ex = Assert.Throws<ArgumentException>(() => new Secret(value));
        Assert.Contains(why, ex.Message);
    }

    [Theory]
    [InlineData("plain-key_123")]
    [InlineData("  padded key  ")]
    [InlineData("a:b/c+d=e")]
    public void APrintableAsciiCredentialIsAccepted(string value)
    {
        Assert.Null(Secret.Refusal(value));
        Assert.Equal(value.Trim(), new Secret(value).Reveal());
    }
}
