using System.Collections;
using System.Management.Automation;
using System.Reflection;
using MessagingTools.Commands.Zadarma;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma.Calls;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// ConvertTo-ZadarmaRouteAnswer's IVR answers (issue 18, item 4), the xunit twin of tests/ConvertTo-ZadarmaRouteAnswer.Tests.ps1:
/// its parameters, and the hashtables a -Route scriptblock may return, with Zadarma's member names or the module's.
/// </summary>
[Collection("Zadarma environment")]
public sealed class ConvertToZadarmaRouteAnswerTests : IClassFixture<PowerShellHost>
{
    private readonly PowerShellHost _ps;

    public ConvertToZadarmaRouteAnswerTests(PowerShellHost ps) => _ps = ps;

    [Fact]
    public void ItTakesEveryMemberOfTheAnswerAsAParameter()
    {
        var t = typeof(ConvertToZadarmaRouteAnswerCommand);
        foreach (var (name, alias) in new[]
        {
            ("IvrPlay", "ivr_play"), ("IvrSayDigits", "ivr_saydigits"), ("IvrSayNumber", "ivr_saynumber"), ("IvrSayPopular", "ivr_saypopular"),
            ("WaitDtmf", "wait_dtmf"), ("ReturnTimeout", "return_timeout"), ("RewriteForwardNumber", "rewrite_forward_number"),
        })
        {
            Assert.Equal("Parts", ContractTests.Param(t, name).ParameterSetName);
            Assert.Contains(alias, t.GetProperty(name)!.GetCustomAttribute<AliasAttribute>()!.AliasNames);
        }
        Assert.Equal(typeof(SwitchParameter), t.GetProperty("Hangup")!.PropertyType);
        Assert.Equal(typeof(int?), t.GetProperty("ReturnTimeout")!.PropertyType);
        // -Language completes Zadarma's list; a language outside it is refused by the route with the member named, not by a ValidateSet.
        Assert.Equal(typeof(ZadarmaNameCompleter), t.GetProperty("Language")!.GetCustomAttribute<ArgumentCompleterAttribute>()!.Type);
        Assert.Null(t.GetProperty("Language")!.GetCustomAttribute<ValidateSetAttribute>());
        var completions = new ZadarmaNameCompleter().CompleteArgument("ConvertTo-ZadarmaRouteAnswer", "Language", "e", null!, new Hashtable()).Select(c => c.CompletionText);
        Assert.Equal(new[] { "en", "es" }, completions);
    }

    public static TheoryData<object, string> IvrRoutes() => new()
    {
        { new Hashtable { ["IvrPlay"] = 3, ["WaitDtmf"] = new Hashtable { ["Timeout"] = 5, ["MaxDigits"] = 1, ["Name"] = "menu" } },
          """{"ivr_play":3,"wait_dtmf":{"timeout":5,"maxdigits":1,"name":"menu"}}""" },
        { new Hashtable { ["ivr_saydigits"] = "0042", ["language"] = "PL" }, """{"ivr_saydigits":"0042","language":"pl"}""" },
        { new Hashtable { ["wait_dtmf"] = new Hashtable { ["timeout"] = "7", ["attempts"] = "2", ["default"] = "9" } }, """{"wait_dtmf":{"timeout":7,"attempts":2,"default":9}}""" },
        { new Hashtable { ["Redirect"] = 100, ["ReturnTimeout"] = "20", ["RewriteForwardNumber"] = "+79261234567" },
          """{"redirect":100,"return_timeout":20,"rewrite_forward_number":"+79261234567"}""" },
        { new Hashtable { ["Hangup"] = true }, """{"hangup":1}""" },
        { new Hashtable { ["hangup"] = "1", ["caller_name"] = "spam" }, """{"hangup":1,"caller_name":"spam"}""" },
        { new Hashtable { ["Hangup"] = false }, "" },
    };

    [Theory]
    [MemberData(nameof(IvrRoutes))]
    public void AHashtableWithIvrMembersBecomesThisAnswer(object value, string answer)
    {
        Assert.Equal(answer, ZadarmaNotifications.Answer(ZadarmaRouteConversion.From(value)));
        var run = _ps.Run("$Route | ConvertTo-ZadarmaRouteAnswer", new Dictionary<string, object?> { ["Route"] = value });
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal(answer, (string)Assert.Single(run.Output).BaseObject);
    }

    [Fact]
    public void TheParametersMakeTheSameAnswers()
    {
        var run = _ps.Run("""
            ConvertTo-ZadarmaRouteAnswer -IvrPlay 3 -WaitDtmf @{ Timeout = 5; Attempts = 2; MaxDigits = 1; Name = 'menu'; Default = 1 }
            ConvertTo-ZadarmaRouteAnswer -IvrSayNumber 125 -Language ru
            ConvertTo-ZadarmaRouteAnswer -Redirect 100 -ReturnTimeout 20 -RewriteForwardNumber 442037691881 -CallerName 'Анна'
            ConvertTo-ZadarmaRouteAnswer -Hangup
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal(new[]
        {
            """{"ivr_play":3,"wait_dtmf":{"timeout":5,"attempts":2,"maxdigits":1,"name":"menu","default":1}}""",
            """{"ivr_saynumber":"125","language":"ru"}""",
            """{"redirect":100,"return_timeout":20,"rewrite_forward_number":"442037691881","caller_name":"Анна"}""",
            """{"hangup":1}""",
        }, run.Output.Select(o => (string)o.BaseObject));
    }

    [Theory]
    [InlineData("ConvertTo-ZadarmaRouteAnswer -IvrSayDigits 12 -Language it", "ZadarmaRouteIsInvalid", "Language")]
    [InlineData("ConvertTo-ZadarmaRouteAnswer -Redirect 100 -RewriteForwardNumber 1234", "ZadarmaRouteIsInvalid", "RewriteForwardNumber")]
    [InlineData("ConvertTo-ZadarmaRouteAnswer -WaitDtmf @{ Timeout = 0 }", "ZadarmaRouteIsInvalid", "WaitDtmf.Timeout")]
    [InlineData("ConvertTo-ZadarmaRouteAnswer -WaitDtmf @{ Timout = 5 }", "ZadarmaRouteIsNotARoute", "WaitDtmf")]
    [InlineData("@{ Redirect = 100; ReturnTimeout = 'soon' } | ConvertTo-ZadarmaRouteAnswer", "ZadarmaRouteIsNotARoute", "ReturnTimeout")]
    [InlineData("@{ Hangup = 'maybe' } | ConvertTo-ZadarmaRouteAnswer", "ZadarmaRouteIsNotARoute", "Hangup")]
    [InlineData("@{ IvrPlay = 1; Languge = 'en' } | ConvertTo-ZadarmaRouteAnswer", "ZadarmaRouteIsNotARoute", "Route")]
    public void ABadValueIsAnErrorNamingItsMember(string script, string errorId, string field)
    {
        var run = _ps.Run(script);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(field, ((MessagingException)error.Exception).Field);
        Assert.Contains(field.Split('.').Last(), error.ToString());
    }
}
