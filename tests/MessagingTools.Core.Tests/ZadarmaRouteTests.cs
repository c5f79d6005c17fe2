using System.Text.Json;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma.Calls;

namespace MessagingTools.Core.Tests;

/// <summary>
/// The IVR answers of a route (issue 18, item 4): every member of Zadarma's answer vocabulary written as JSON, and every
/// bad value refused with the member named. (The redirect and caller name are in ZadarmaNotificationTests.)
/// </summary>
public sealed class ZadarmaRouteTests
{
    private static ZadarmaRoute Route(Action<ZadarmaRouteParts> set)
    {
        var parts = new ZadarmaRouteParts();
        set(parts);
        return new ZadarmaRoute(parts);
    }

    [Fact]
    public void EveryIvrMemberIsWrittenUnderZadarmasName()
    {
        Assert.Equal("{\"ivr_play\":3}", Route(p => p.IvrPlay = "3").ToAnswer());
        Assert.Equal("{\"ivr_play\":\"greeting-2\"}", Route(p => p.IvrPlay = "greeting-2").ToAnswer());
        Assert.Equal("{\"ivr_saydigits\":\"0123\",\"language\":\"en\"}", Route(p => { p.IvrSayDigits = "0123"; p.Language = "EN"; }).ToAnswer());
        Assert.Equal("{\"ivr_saynumber\":\"125\",\"language\":\"ru\"}", Route(p => { p.IvrSayNumber = "125"; p.Language = "ru"; }).ToAnswer());
        Assert.Equal("{\"ivr_saypopular\":\"88005553535\",\"language\":\"ua\"}", Route(p => { p.IvrSayPopular = "88005553535"; p.Language = "ua"; }).ToAnswer());
        Assert.Equal("{\"wait_dtmf\":{\"timeout\":5,\"attempts\":2,\"maxdigits\":1,\"name\":\"menu\",\"default\":1}}",
            Route(p => p.WaitDtmf = new ZadarmaWaitDtmf { Timeout = 5, Attempts = 2, MaxDigits = 1, Name = "menu", Default = "1" }).ToAnswer());
        Assert.Equal("{\"wait_dtmf\":{}}", Route(p => p.WaitDtmf = new ZadarmaWaitDtmf()).ToAnswer());
        Assert.Equal("{\"redirect\":100,\"return_timeout\":20,\"rewrite_forward_number\":\"+442037691881\",\"caller_name\":\"Anna\"}",
            Route(p => { p.Redirect = "100"; p.ReturnTimeout = 20; p.RewriteForwardNumber = "+442037691881"; p.CallerName = "Anna"; }).ToAnswer());
        Assert.Equal("{\"hangup\":1}", Route(p => p.Hangup = true).ToAnswer());
        var all = Route(p => { p.IvrPlay = "7"; p.WaitDtmf = new ZadarmaWaitDtmf { Name = "lang" }; p.CallerName = "VIP"; });
        Assert.False(all.IsDefault);
        Assert.Equal("play 7, wait for digits 'lang' as 'VIP'", all.ToString());
        using var doc = JsonDocument.Parse(all.ToAnswer());
        Assert.Equal(new[] { "ivr_play", "wait_dtmf", "caller_name" }, doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("application/json; charset=utf-8", all.AnswerContentType);
        Assert.True(new ZadarmaRoute(new ZadarmaRouteParts()).IsDefault);
        Assert.Equal("", new ZadarmaRoute(new ZadarmaRouteParts()).ToAnswer());
    }

    [Theory]
    [InlineData("Language", "it")]
    [InlineData("Language", "english")]
    [InlineData("RewriteForwardNumber", "1234")]
    [InlineData("RewriteForwardNumber", "+1234")]
    [InlineData("RewriteForwardNumber", "44 20 3769")]
    [InlineData("RewriteForwardNumber", "++44203")]
    [InlineData("IvrSayDigits", "12a")]
    [InlineData("IvrSayNumber", "-5")]
    [InlineData("IvrSayPopular", "8 800")]
    [InlineData("IvrPlay", "two\nlines")]
    [InlineData("ReturnTimeout", "0")]
    [InlineData("WaitDtmf.Timeout", "-1")]
    [InlineData("WaitDtmf.Attempts", "0")]
    [InlineData("WaitDtmf.MaxDigits", "0")]
    [InlineData("WaitDtmf.Name", " ")]
    public void ABadValueIsRefusedWithTheMemberNamed(string field, string value)
    {
        var parts = new ZadarmaRouteParts { Redirect = "100" };
        switch (field)
        {
            case "Language": parts.IvrSayDigits = "1"; parts.Language = value; break;
            case "RewriteForwardNumber": parts.RewriteForwardNumber = value; break;
            case "IvrSayDigits": parts.IvrSayDigits = value; break;
            case "IvrSayNumber": parts.IvrSayNumber = value; break;
            case "IvrSayPopular": parts.IvrSayPopular = value; break;
            case "IvrPlay": parts.IvrPlay = value; break;
            case "ReturnTimeout": parts.ReturnTimeout = int.Parse(value); break;
            case "WaitDtmf.Timeout": parts.WaitDtmf = new ZadarmaWaitDtmf { Timeout = int.Parse(value) }; break;
            case "WaitDtmf.Attempts": parts.WaitDtmf = new ZadarmaWaitDtmf { Attempts = int.Parse(value) }; break;
            case "WaitDtmf.MaxDigits": parts.WaitDtmf = new ZadarmaWaitDtmf { MaxDigits = int.Parse(value) }; break;
            case "WaitDtmf.Name": parts.WaitDtmf = new ZadarmaWaitDtmf { Name = value }; break;
        }
        var ex = Assert.Throws<MessagingException>(() => new ZadarmaRoute(parts));
        Assert.Equal("ZadarmaRouteIsInvalid", ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal(field, ex.Field);
        Assert.Contains(field, ex.Message);
    }

    [Fact]
    public void AMemberThatNeedsAnotherIsRefusedWithoutIt()
    {
        Assert.Equal("ReturnTimeout", Assert.Throws<MessagingException>(() => Route(p => p.ReturnTimeout = 20)).Field);
        Assert.Equal("RewriteForwardNumber", Assert.Throws<MessagingException>(() => Route(p => p.RewriteForwardNumber = "442037691881")).Field);
        Assert.Equal("Language", Assert.Throws<MessagingException>(() => Route(p => { p.IvrPlay = "1"; p.Language = "en"; })).Field);
        Assert.Equal("Hangup", Assert.Throws<MessagingException>(() => Route(p => { p.Hangup = true; p.Redirect = "100"; })).Field);
        // Every language of Zadarma's list, in any case, is taken and written in lower case.
        foreach (var language in new[] { "ru", "UA", "En", "es", "pl", "fr", "de" })
            Assert.Contains("\"language\":\"" + language.ToLowerInvariant() + "\"", Route(p => { p.IvrSayNumber = "5"; p.Language = language; }).ToAnswer());
        Assert.Equal("{\"redirect\":\"blacklist\",\"rewrite_forward_number\":\"12345\"}",
            Route(p => { p.Redirect = "Blacklist"; p.RewriteForwardNumber = "12345"; }).ToAnswer());
    }
}
