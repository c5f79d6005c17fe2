using System.Collections;
using System.Management.Automation;
using System.Net.Sockets;
using System.Reflection;
using MessagingTools.Commands.Zadarma;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma.Calls;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// Receive-ZadarmaCall's contract: its parameters, and the rules that turn what a -Route scriptblock returns into the
/// answer Zadarma gets (ZadarmaRouteConversion, shared with ConvertTo-ZadarmaRouteAnswer), checked directly and through
/// the listener running in the hosted engine while the sandbox plays Zadarma.
/// </summary>
[Collection("Zadarma environment")]
public sealed class ReceiveZadarmaCallTests : IClassFixture<PowerShellHost>
{
    private readonly PowerShellHost _ps;

    public ReceiveZadarmaCallTests(PowerShellHost ps) => _ps = ps;

    [Fact]
    public void ItIsAListenerWithItsOwnTimeoutAndNoRequestParameters()
    {
        var t = typeof(ReceiveZadarmaCallCommand);
        var cmdlet = t.GetCustomAttribute<CmdletAttribute>()!;
        Assert.Equal(("Receive", "ZadarmaCall"), (cmdlet.VerbName, cmdlet.NounName));
        Assert.False(cmdlet.SupportsShouldProcess);
        Assert.Equal(typeof(ZadarmaCall), t.GetCustomAttribute<OutputTypeAttribute>()!.Type.Single().Type);
        Assert.True(ContractTests.Param(t, "Prefix").Mandatory);
        Assert.Equal("Port", ContractTests.Param(t, "Port").ParameterSetName);
        Assert.Equal(typeof(ScriptBlock), t.GetProperty("Route")!.PropertyType);
        Assert.Equal(typeof(PSCredential), t.GetProperty("Credential")!.PropertyType);
        // -Timeout is the whole run (seconds or a TimeSpan, as Get-FeedbotStatus -Timeout); -TimeoutSec is a request's elsewhere.
        Assert.Equal(typeof(TimeSpan?), t.GetProperty("Timeout")!.PropertyType);
        Assert.NotNull(t.GetProperty("Timeout")!.GetCustomAttribute<MessagingTools.Internal.SecondsOrTimeSpanTransformationAttribute>());
        Assert.Null(t.GetProperty("TimeoutSec"));
        using var fresh = new ReceiveZadarmaCallCommand();
        Assert.Equal(3, fresh.RouteTimeoutSec);
        Assert.Equal(ZadarmaNotifications.DefaultMaxBodyBytes, fresh.MaxBodyBytes);
    }

    public static TheoryData<object?, string> Routes() => new()
    {
        { null, "" },
        { "", "" },
        { "   ", "" },
        { "100", """{"redirect":100}""" },
        { 100, """{"redirect":100}""" },
        { 7L, """{"redirect":7}""" },
        { "0100", """{"redirect":"0100"}""" },
        { "sales-queue", """{"redirect":"sales-queue"}""" },
        { "BlackList", """{"redirect":"blacklist"}""" },
        { ZadarmaRoute.To("5", "Anna"), """{"redirect":5,"caller_name":"Anna"}""" },
        { new Hashtable { ["Redirect"] = 100, ["CallerName"] = "Анна" }, """{"redirect":100,"caller_name":"Анна"}""" },
        { new Hashtable { ["caller_name"] = "Bob" }, """{"caller_name":"Bob"}""" },
        { new Hashtable { ["REDIRECT"] = "blacklist", ["callername"] = "spam" }, """{"redirect":"blacklist","caller_name":"spam"}""" },
        { new Hashtable { ["Redirect"] = null, ["CallerName"] = "" }, "" },
        { new Hashtable(), "" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public void WhatARouteGivesBecomesThisAnswer(object? value, string answer)
    {
        Assert.Equal(answer, ZadarmaNotifications.Answer(ZadarmaRouteConversion.From(value)));
        Assert.Equal(answer, ZadarmaNotifications.Answer(ZadarmaRouteConversion.FromOutput(new[] { value is null ? null : PSObject.AsPSObject(value) })));
    }

    [Fact]
    public void AnObjectRouteIsReadFromItsRedirectAndCallerNamePropertiesAlone()
    {
        var row = new PSObject();
        row.Properties.Add(new PSNoteProperty("Phone", "+79261234567"));
        row.Properties.Add(new PSNoteProperty("Redirect", "200"));
        row.Properties.Add(new PSNoteProperty("CallerName", "Row name"));
        Assert.Equal("""{"redirect":200,"caller_name":"Row name"}""", ZadarmaRouteConversion.From(row)!.ToAnswer());
    }

    public static TheoryData<object, string> NotRoutes() => new()
    {
        { true, "Boolean" },
        { new Hashtable { ["Redirct"] = 1 }, "'Redirct'" },
        { new Hashtable { ["Redirect"] = new[] { 1, 2 } }, "Int32[]" },
        { new PSObject(), "neither a Redirect nor a CallerName" },
        { new DateTime(2026, 11, 30), "DateTime" },
    };

    [Theory]
    [MemberData(nameof(NotRoutes))]
    public void AnythingElseIsNotARoute(object value, string named)
    {
        var ex = Assert.Throws<MessagingException>(() => ZadarmaRouteConversion.From(value));
        Assert.Equal("ZadarmaRouteIsNotARoute", ex.ErrorId);
        Assert.Contains(named, ex.Message);
    }

    [Fact]
    public void SeveralObjectsAreNotOneRouteButNullsAreNothing()
    {
        Assert.Null(ZadarmaRouteConversion.FromOutput(new PSObject?[] { null, null }));
        Assert.Equal("""{"redirect":1}""", ZadarmaRouteConversion.FromOutput(new PSObject?[] { null, PSObject.AsPSObject("1") })!.ToAnswer());
        var ex = Assert.Throws<MessagingException>(() => ZadarmaRouteConversion.FromOutput(new[] { PSObject.AsPSObject(0), PSObject.AsPSObject("100") }));
        Assert.Equal("ZadarmaRouteIsNotARoute", ex.ErrorId);
        Assert.Contains("2 objects", ex.Message);
        Assert.Equal("ZadarmaRouteIsInvalid", Assert.Throws<MessagingException>(() => ZadarmaRouteConversion.From("two\nlines")).ErrorId);
    }

    [Fact]
    public void TheListenerAnswersEachCallWithTheRouteItsScriptblockGave()
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}/";
        var notify = Task.Run(() => ZadarmaNotifier.RunAsync(new ZadarmaNotifyPlan { Url = url, Count = 6, Forged = 1, WaitMs = 20000 }, CancellationToken.None));
        var run = _ps.Run("""
            Receive-ZadarmaCall -Prefix $Url -Credential $ZadarmaCredential -RequireSignature -Count 5 -Timeout 60 -Route {
                switch (([int]$_.CallerId.Substring(5) - 1000000) % 6) {
                    0 { }
                    1 { 100 }
                    2 { 'blacklist' }
                    3 { @{ Redirect = 'sales'; CallerName = 'Анна' } }
                    4 { 'a'; 'b' }
                    5 { throw 'no route' }
                }
            }
            """, new Dictionary<string, object?> { ["Url"] = url });
        notify.Wait(TimeSpan.FromSeconds(60));
        Assert.Null(run.Terminating);
        Assert.Equal(5, run.Output.Count);
        var expected = new Dictionary<int, string>
        {
            [0] = "", [1] = """{"redirect":100}""", [2] = """{"redirect":"blacklist"}""",
            [3] = """{"redirect":"sales","caller_name":"Анна"}""", [4] = "", [5] = "",
        };
        foreach (var o in run.Output)
        {
            var call = (ZadarmaCall)o.BaseObject;
            var index = int.Parse(call.CallerId!.Substring(5)) - 1000000;
            Assert.Equal(expected[index % 6], (string)o.Properties["Answer"].Value);
            Assert.Equal(expected[index % 6], ((ZadarmaRoute)o.Properties["Route"].Value).ToAnswer());
            Assert.Equal(ZadarmaSignatureStatus.Verified, call.Signature);
            Assert.True((index % 6 >= 4 ? "ZadarmaRouteFailed" : null) == (string?)o.Properties["RouteErrorId"].Value, $"call {index}: " + string.Join(" / ", run.Errors.Select(e => e.ToString())));
        }
        var ids = run.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).OrderBy(x => x, StringComparer.Ordinal).ToList();
        var routeFailures = run.Output.Count(o => (string?)o.Properties["RouteErrorId"].Value != null);
        Assert.Equal(Enumerable.Repeat("ZadarmaNotificationSignatureIsForged", 1).Concat(Enumerable.Repeat("ZadarmaRouteFailed", routeFailures)), ids);
        Assert.DoesNotContain(ZadarmaSandbox.DefaultSecret, run.AllText());
    }

    [Fact]
    public void TheListenerTakesEveryEventOfWholeCallsAndItsIvrAnswerDecidesTheNextEvent()
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}/";
        var play = Task.Run(() => ZadarmaCallPlayer.RunAsync(new ZadarmaCallPlan { Url = url, WaitMs = 20000, Digits = "1" }, CancellationToken.None));
        var run = _ps.Run("""
            Receive-ZadarmaCall -Prefix $Url -Credential $ZadarmaCredential -RequireSignature -Count 9 -Timeout 60 -Route {
                if ($_.Event -eq 'NOTIFY_IVR') { @{ Redirect = 100 + [int]$_.DtmfDigits; CallerName = $_.DtmfName } }
                elseif ($_.CallerId -like '+7926765432*') { @{ ivr_saydigits = '12'; language = 'en'; wait_dtmf = @{ timeout = 5; maxdigits = 1; name = 'menu' } } }
                else { 'never used' }
            }
            """, new Dictionary<string, object?> { ["Url"] = url });
        Assert.True(play.Wait(TimeSpan.FromSeconds(60)));
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        var calls = run.Output.Select(o => (ZadarmaCall)o.BaseObject).ToList();
        Assert.Equal(new[] { "NOTIFY_START", "NOTIFY_INTERNAL", "NOTIFY_ANSWER", "NOTIFY_END", "NOTIFY_RECORD", "NOTIFY_OUT_START", "NOTIFY_OUT_END", "NOTIFY_START", "NOTIFY_IVR" },
            calls.Select(c => c.Event));
        Assert.All(calls, c => Assert.Equal(ZadarmaSignatureStatus.Verified, c.Signature));
        var answers = run.Output.Select(o => (string)o.Properties["Answer"].Value).ToList();
        // The first START is not the IVR caller: its route 'never used' is a redirect. Only START and IVR are routed.
        Assert.Equal("""{"redirect":"never used"}""", answers[0]);
        Assert.All(answers.Skip(1).Take(6), a => Assert.Equal("", a));
        Assert.Equal("""{"ivr_saydigits":"12","language":"en","wait_dtmf":{"timeout":5,"maxdigits":1,"name":"menu"}}""", answers[7]);
        Assert.Equal("""{"redirect":101,"caller_name":"menu"}""", answers[8]);
        Assert.Equal("1", calls[8].DtmfDigits);
        Assert.Equal((125, true), (calls[3].Duration!.Value, calls[3].IsRecorded!.Value));
        Assert.Equal(calls[3].RecordingId, calls[4].RecordingId);
    }

    [Fact]
    public void ARouteWhosePropertyThrowsFallsBackAndTheListenerGoesOn()
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}/";
        var notify = Task.Run(() => ZadarmaNotifier.RunAsync(new ZadarmaNotifyPlan { Url = url, Count = 2, WaitMs = 20000 }, CancellationToken.None));
        // The first call's route has a Redirect getter that throws (GetValueException, not a MessagingException).
        var run = _ps.Run("""
            $script:n = 0
            Receive-ZadarmaCall -Prefix $Url -Count 2 -Timeout 60 -Route {
                $script:n++
                if ($script:n -eq 1) { $Bad } else { 100 }
            }
            """, new Dictionary<string, object?> { ["Url"] = url, ["Bad"] = new ThrowingRoute() });
        notify.Wait(TimeSpan.FromSeconds(60));
        Assert.Null(run.Terminating);
        Assert.Equal(2, run.Output.Count);
        Assert.Equal(new string?[] { "ZadarmaRouteFailed", null }, run.Output.Select(o => (string?)o.Properties["RouteErrorId"].Value).ToArray());
        Assert.Equal("""{"redirect":100}""", (string)run.Output[1].Properties["Answer"].Value);
        Assert.Contains("no getter", Assert.Single(run.Errors).ToString());
    }

    [Fact]
    public void ConvertToMakesAThrowingPropertyThatInputsErrorAndGoesOn()
    {
        var run = _ps.Run("""
            $Bad, 'sales' | ConvertTo-ZadarmaRouteAnswer
            """, new Dictionary<string, object?> { ["Bad"] = new ThrowingRoute() });
        Assert.Null(run.Terminating);
        Assert.Equal(new[] { """{"redirect":"sales"}""" }, run.Output.Select(o => (string)o.BaseObject).ToArray());
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("ZadarmaRouteIsNotARoute", error.FullyQualifiedErrorId);
        Assert.Contains("no getter", error.ToString());
    }

    [Theory]
    [InlineData("Blacklist")]
    [InlineData(" BLACKLIST ")]
    public void BlacklistInAnyCaseIsTheBlacklist(string target)
    {
        var route = new ZadarmaRoute(target);
        Assert.True(route.IsBlacklist);
        Assert.True(ZadarmaRoute.MeansBlacklist(target));
        Assert.False(ZadarmaRoute.MeansBlacklist(target.Trim() + "s"));
        Assert.Equal("""{"redirect":"blacklist"}""", route.ToAnswer());
        Assert.Equal("""{"redirect":"blacklist"}""", ZadarmaRouteConversion.From(target)!.ToAnswer());
        Assert.Equal("""{"redirect":"blacklist","caller_name":"x"}""", ZadarmaRouteConversion.Make(target, "x")!.ToAnswer());
    }

    /// <summary>A route-shaped object whose Redirect getter throws (PowerShell reports it as GetValueInvocationException).</summary>
    public sealed class ThrowingRoute
    {
        public string Redirect => throw new InvalidOperationException("no getter");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
