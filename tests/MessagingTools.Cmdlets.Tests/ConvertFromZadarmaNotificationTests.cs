using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Text.Json;
using MessagingTools.Commands.Zadarma;
using MessagingTools.Core.Providers.Zadarma.Calls;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// ConvertFrom-ZadarmaNotification and the call events (issue 18, items 3 and 7a), the xunit twin of
/// tests/ConvertFrom-ZadarmaNotification.Tests.ps1: every vector of tests/vectors/zadarma-call-events.json through the
/// cmdlet in the hosted engine, as a form body and as the fields a host decoded (PHP's wait_dtmf array nested).
/// </summary>
[Collection("Zadarma environment")]
public sealed class ConvertFromZadarmaNotificationTests : IClassFixture<PowerShellHost>
{
    private readonly PowerShellHost _ps;

    public ConvertFromZadarmaNotificationTests(PowerShellHost ps) => _ps = ps;

    private static IEnumerable<(string Name, string Secret, List<KeyValuePair<string, string>> Post, string Signature)> Vectors()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "MessagingTools.sln"))) dir = Path.GetDirectoryName(dir)!;
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "tests", "vectors", "zadarma-call-events.json")));
        foreach (var v in doc.RootElement.EnumerateArray())
            yield return (v.GetProperty("name").GetString()!, v.GetProperty("secret").GetString()!,
                v.GetProperty("post").EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList(),
                v.GetProperty("signature").GetString()!);
    }

    private static PSCredential Credential(string secret)
    {
        var secure = new System.Security.SecureString();
        foreach (var c in secret) secure.AppendChar(c);
        return new PSCredential("key", secure);
    }

    [Fact]
    public void ItFiltersByEventWithCompletionButNoValidateSet()
    {
        foreach (var t in new[] { typeof(ConvertFromZadarmaNotificationCommand), typeof(ReceiveZadarmaCallCommand) })
        {
            var p = t.GetProperty("Event")!;
            Assert.Equal(typeof(string[]), p.PropertyType);
            Assert.Equal(typeof(ZadarmaNameCompleter), p.GetCustomAttribute<ArgumentCompleterAttribute>()!.Type);
            Assert.Null(p.GetCustomAttribute<ValidateSetAttribute>());
        }
        var names = new ZadarmaNameCompleter().CompleteArgument("Receive-ZadarmaCall", "Event", "NOTIFY_OUT", null!, new Hashtable()).Select(c => c.CompletionText);
        Assert.Equal(new[] { "NOTIFY_OUT_START", "NOTIFY_OUT_END" }, names);
    }

    [Fact]
    public void EveryVectorIsVerifiedAsAFormAndAsDecodedFieldsAndRejectedWhenAFieldChanges()
    {
        foreach (var (name, secret, post, signature) in Vectors())
        {
            var form = string.Join("&", post.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            // PHP's array fields as a host such as Pode decodes them: wait_dtmf = @{ name = ...; digits = ... }.
            var fields = new Hashtable();
            foreach (var p in post)
            {
                if (p.Key.StartsWith("wait_dtmf[", StringComparison.Ordinal))
                {
                    if (fields["wait_dtmf"] is not Hashtable nested) fields["wait_dtmf"] = nested = new Hashtable();
                    nested[p.Key.Substring(10, p.Key.Length - 11)] = p.Value;
                }
                else fields[p.Key] = p.Value;
            }
            var signed = ZadarmaCallEvents.SignedFields(post.Single(p => p.Key == "event").Value)!;
            var changed = string.Join("&", post.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Key == signed[0] ? p.Value + "1" : p.Value)));
            var run = _ps.Run("""
                ConvertFrom-ZadarmaNotification -Body $Form -Headers @{ signature = $Signature } -Credential $Cred -RequireSignature
                ConvertFrom-ZadarmaNotification -Body $Fields -Signature $Signature -Credential $Cred -RequireSignature
                ConvertFrom-ZadarmaNotification -Body $Changed -Signature $Signature -Credential $Cred -RequireSignature
                """, new Dictionary<string, object?> { ["Form"] = form, ["Fields"] = fields, ["Signature"] = signature, ["Cred"] = Credential(secret), ["Changed"] = changed });
            Assert.Null(run.Terminating);
            Assert.Equal(2, run.Output.Count);
            foreach (var o in run.Output)
            {
                var call = (ZadarmaCall)o.BaseObject;
                Assert.Equal(ZadarmaSignatureStatus.Verified, call.Signature);
                Assert.Equal(post.Single(p => p.Key == "event").Value, call.Event);
                if (call.Event == ZadarmaCallEvents.Ivr) Assert.Equal(("menu", "2"), (call.DtmfName, call.DtmfDigits));
            }
            Assert.StartsWith("ZadarmaNotificationSignatureIsForged,", Assert.Single(run.Errors).FullyQualifiedErrorId);
            Assert.Equal(403, ((Core.Errors.MessagingException)run.Errors[0].Exception).HttpStatus);
            Assert.DoesNotContain(secret, run.AllText());
        }
    }

    [Fact]
    public void EventWritesOnlyTheEventsNamedAndAnUnknownEventIsNoError()
    {
        var run = _ps.Run("""
            $end = 'event=NOTIFY_END&call_start=2026-12-06+10%3A00%3A01&pbx_call_id=in_1&caller_id=%2B79261234567&called_did=&internal=100&duration=125&disposition=answered&status_code=16&is_recorded=1&call_id_with_rec=1733479201.1'
            $start = 'event=NOTIFY_START&call_start=2026-12-06+10%3A00%3A01&pbx_call_id=in_1&caller_id=%2B79261234567&called_did='
            $new = 'event=NOTIFY_SOMETHING_NEW&pbx_call_id=in_1&colour=blue'
            $end, $start, $new, 'caller_id=1&called_did=2&call_start=x' | ConvertFrom-ZadarmaNotification -Event NOTIFY_END, NOTIFY_SOMETHING_NEW
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal(new[] { "NOTIFY_END", "NOTIFY_SOMETHING_NEW" }, run.Output.Select(o => ((ZadarmaCall)o.BaseObject).Event));
        var end = (ZadarmaCall)run.Output[0].BaseObject;
        Assert.Equal((125, "answered", 16, true, "1733479201.1", "100", ""), (end.Duration!.Value, end.Disposition, end.StatusCode!.Value, end.IsRecorded!.Value, end.RecordingId, end.Extension, end.CalledDid));
        Assert.Equal("blue", ((ZadarmaCall)run.Output[1].BaseObject).OtherFields["colour"]);
    }

    [Fact]
    public void ASecretOfNonAsciiLettersChecksTheSignatureAsItsUtf8Bytes()
    {
        const string secret = "Секрет-رمز";
        using var hmac = new System.Security.Cryptography.HMACSHA1(System.Text.Encoding.UTF8.GetBytes(secret));
        var hex = string.Concat(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes("101" + "442037691881" + "2026-12-06 11:30:00")).Select(b => b.ToString("x2")));
        var signature = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(hex));
        var run = _ps.Run("""
            ConvertFrom-ZadarmaNotification -Body 'event=NOTIFY_OUT_START&call_start=2026-12-06+11%3A30%3A00&pbx_call_id=out_1&internal=101&destination=442037691881' -Signature $Signature -Credential $Cred -RequireSignature
            """, new Dictionary<string, object?> { ["Signature"] = signature, ["Cred"] = Credential(secret) });
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal(ZadarmaSignatureStatus.Verified, ((ZadarmaCall)Assert.Single(run.Output).BaseObject).Signature);
        Assert.DoesNotContain(secret, run.AllText());
    }
}
