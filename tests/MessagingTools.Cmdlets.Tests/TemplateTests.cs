using System.Management.Automation;
using System.Reflection;
using MessagingTools.Commands;
using MessagingTools.Commands.Bale;
using MessagingTools.Commands.Feedbot;
using MessagingTools.Commands.Zadarma;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Internal;
using MessagingTools.Sandbox;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// Message templates (src/MessagingTools/Internal/RowTemplates.cs) in the real PowerShell engine against the sandbox:
/// a text given on the command line is filled from each row; a text from a row's column is sent as it is.
/// </summary>
public sealed class TemplateTests : IClassFixture<PowerShellHost>, IDisposable
{
    private const string Bale = "Send-BaleMessage -BotId 123 -ApiKey $BaleKey -Endpoint $SandboxBale";
    private const string Persian = "سلام {Name}، کد شما {Code} است";
    private readonly PowerShellHost _ps;
    private SandboxServer Sandbox => _ps.Sandbox;

    public TemplateTests(PowerShellHost ps)
    {
        _ps = ps;
        Sandbox.Reset();
        Sandbox.Latency = TimeSpan.Zero;
    }

    public void Dispose() => Sandbox.Reset();

    private Dictionary<string, string?> BaleTexts() => Sandbox.Bale.Deliveries.Snapshot().ToDictionary(d => d.PhoneNumber, d => d.Text);

    [Fact]
    public void EveryTextParameterThatIsSentIsATemplate()
    {
        static string[] Templates(Type cmdlet) => cmdlet.GetProperties()
            .Where(p => p.GetCustomAttribute<TemplateTextAttribute>() != null).Select(p => p.Name).Order().ToArray();

        Assert.Equal(new[] { "CopyText", "Text" }, Templates(typeof(SendBaleMessageCommand)));
        Assert.Equal(new[] { "Message" }, Templates(typeof(SendFeedbotMessageCommand)));
        Assert.Equal(new[] { "Message" }, Templates(typeof(SendZadarmaSmsCommand)));
        // And nothing else of the module: a file name, a phone number or an id is never filled.
        var others = typeof(AsyncPipelineCmdlet<,>).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<CmdletAttribute>() != null)
            .Except(new[] { typeof(SendBaleMessageCommand), typeof(SendFeedbotMessageCommand), typeof(SendZadarmaSmsCommand) });
        Assert.All(others, t => Assert.Empty(Templates(t)));
    }

    [Fact]
    public void ACommandLineTextIsFilledFromEachRowWithColumnNamesInAnyCase()
    {
        var run = _ps.Run($$"""
            @(
              [pscustomobject]@{ Phone = '09123456781'; name = 'Sara'; CODE = '4821' },
              [pscustomobject]@{ Phone = '09123456782'; NAME = 'رضا'; code = 1375 }
            ) | {{Bale}} -Text $template -CopyText '{Code}'
            """, new Dictionary<string, object?> { ["template"] = Persian });

        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        var deliveries = Sandbox.Bale.Deliveries.Snapshot().ToDictionary(d => d.PhoneNumber);
        Assert.Equal("سلام Sara، کد شما 4821 است", deliveries["989123456781"].Text);
        Assert.Equal("4821", deliveries["989123456781"].CopyText);
        Assert.Equal("سلام رضا، کد شما 1375 است", deliveries["989123456782"].Text);
        Assert.Equal("1375", deliveries["989123456782"].CopyText);
        Assert.Equal(new[] { "سلام Sara، کد شما 4821 است", "سلام رضا، کد شما 1375 است" },
            run.Output.Select(o => ((BaleMessageResult)o.BaseObject).Text)); // the result carries the text sent
    }

    [Fact]
    public void ATextFromTheRowsOwnColumnIsSentAsItIsBracesAndAll()
    {
        // The Message column binds -Text: data, not a template (a lone brace would not even parse). The command-line
        // -CopyText of the same rows is still a template.
        var run = _ps.Run("""
            @(
              [pscustomobject]@{ Phone = '09123456781'; Message = 'Code {Code} } {'; Code = '11' },
              [pscustomobject]@{ Phone = '09123456782'; Message = '{{not an escape}}'; Code = '22' }
            ) | SEND -CopyText 'code {Code}'
            """.Replace("SEND", Bale));

        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        var deliveries = Sandbox.Bale.Deliveries.Snapshot().ToDictionary(d => d.PhoneNumber);
        Assert.Equal("Code {Code} } {", deliveries["989123456781"].Text);
        Assert.Equal("code 11", deliveries["989123456781"].CopyText);
        Assert.Equal("{{not an escape}}", deliveries["989123456782"].Text);
        Assert.Equal("code 22", deliveries["989123456782"].CopyText);
    }

    [Fact]
    public void ARowLackingAPlaceholdersColumnIsThatRowsErrorAndTheOthersAreSent()
    {
        var run = _ps.Run($$"""
            $rows = @(
              [pscustomobject]@{ Phone = '09123456781'; Name = 'Sara'; Code = '1' },
              [pscustomobject]@{ Phone = '09123456782'; Name = 'Reza' },
              [pscustomobject]@{ Phone = '09123456783'; Name = 'Mina'; Code = '3' }
            )
            $rows | {{Bale}} -Text $template
            """, new Dictionary<string, object?> { ["template"] = Persian });

        Assert.Null(run.Terminating);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("TemplatePlaceholderHasNoColumn", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("Reza", ((PSObject)error.TargetObject).Properties["Name"].Value);
        Assert.StartsWith("Row 2, Text: The Text has the placeholder {Code}, but the row has no column 'Code' (its columns are 'Phone', 'Name').",
            error.ErrorDetails.Message);
        Assert.Equal(2, run.Output.Count);
        Assert.Equal(new long[] { 1, 3 }, run.Output.Select(o => (long)o.Properties["Row"].Value));
        Assert.Equal(new[] { "989123456781", "989123456783" }, BaleTexts().Keys.Order());
    }

    [Fact]
    public void ATemplateThatCannotBeParsedStopsTheRunBeforeAnythingIsSent()
    {
        // try/catch sees only a terminating error: a row's error would pass it by.
        var run = _ps.Run($$"""
            try {
                @(
                  [pscustomobject]@{ Phone = '09123456781'; Name = 'Sara' },
                  [pscustomobject]@{ Phone = '09123456782'; Name = 'Reza' }
                ) | {{Bale}} -Text 'Hello {Name'
                'not reached'
            }
            catch { $_ }
            """);

        Assert.Empty(run.Errors);
        var stop = (ErrorRecord)Assert.Single(run.Output).BaseObject;
        Assert.StartsWith("TemplateIsInvalid", stop.FullyQualifiedErrorId);
        Assert.StartsWith("Text: The Text is not a valid template at position 7 of 11 ('Hello {Name'): a placeholder is opened", stop.ErrorDetails.Message);
        Assert.Equal(0, Sandbox.Requests.Count);
    }

    [Fact]
    public void WithoutPipelineInputAPlaceholderHasNoColumnAndTheCallsErrorSaysSo()
    {
        var run = _ps.Run($"{Bale} -PhoneNumber 09123456781 -Text 'Hello {{Name}}'; 'after'");

        Assert.Null(run.Terminating); // one call's error, as a bad phone number typed there would be
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("TemplatePlaceholderHasNoColumn", error.FullyQualifiedErrorId);
        Assert.StartsWith("Text: The Text has the placeholder {Name}, but there is no pipeline row to fill it from.", error.ErrorDetails.Message);
        Assert.Equal("after", Assert.Single(run.Output).BaseObject);
        Assert.Equal(0, Sandbox.Requests.Count);
    }

    [Fact]
    public void APipedStringHasNoColumns()
    {
        var run = _ps.Run($"'09123456781' | {Bale} -Text 'Hello {{Name}}'");

        var error = Assert.Single(run.Errors);
        Assert.Contains("but the row has no column 'Name' (it has no columns)", error.ErrorDetails.Message);
        Assert.Equal(0, Sandbox.Requests.Count);
    }

    [Fact]
    public void DoubledBracesAreLiteralBracesWithOrWithoutPlaceholders()
    {
        var run = _ps.Run("""
            [pscustomobject]@{ Phone = '09123456781'; Name = 'Sara' } | SEND -Text '{{{Name}}} uses {{braces}}'
            @([pscustomobject]@{ Phone = '09123456782' }, [pscustomobject]@{ Phone = '09123456784' }) | SEND -Text 'only {{escapes}}'
            [pscustomobject]@{ Phone = '09123456783'; Name = 'Mina' } | SEND -Text 'no braces at all'
            """.Replace("SEND", Bale));

        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        var texts = BaleTexts();
        Assert.Equal("{Sara} uses {braces}", texts["989123456781"]);
        Assert.Equal("only {escapes}", texts["989123456782"]);
        Assert.Equal("only {escapes}", texts["989123456784"]); // set once for the run, still so for the next row
        Assert.Equal("no braces at all", texts["989123456783"]);
    }

    [Fact]
    public void ValuesAreWrittenInTheInvariantCultureWhateverTheSessionsCulture()
    {
        var run = _ps.Run($$"""
            [System.Threading.Thread]::CurrentThread.CurrentCulture = [System.Globalization.CultureInfo]::GetCultureInfo('de-DE')
            [pscustomobject]@{ Phone = '09123456781'; Amount = 1234.5; When = [datetime]'2026-11-22 10:30'; Tags = @('a', 'b'); None = $null } |
                {{Bale}} -Text '{Amount}|{When}|{Tags}|{None}|'
            """);

        Assert.Empty(run.Errors);
        Assert.Equal("1234.5|11/22/2026 10:30:00|a b||", BaleTexts()["989123456781"]);
    }

    [Fact]
    public void WhatIfShowsTheFilledTextAndStillChecksEveryRow()
    {
        var run = _ps.Run($$"""
            @(
              [pscustomobject]@{ Phone = '09123456781'; Name = 'Sara'; Code = '4821' },
              [pscustomobject]@{ Phone = '09123456782'; Name = 'Reza' }
            ) | Send-BaleMessage -BotId 123 -Text $template -WhatIf
            """, new Dictionary<string, object?> { ["template"] = Persian });

        Assert.Null(run.Terminating);
        Assert.Contains("What if: Performing the operation \"Send Bale message \"سلام Sara، کد شما 4821 است\" from bot 123\" on target \"989123456781\".", run.HostText);
        Assert.DoesNotContain(run.HostText, l => l.Contains("989123456782"));
        Assert.StartsWith("Row 2, Text: The Text has the placeholder {Code}", Assert.Single(run.Errors).ErrorDetails.Message);
        Assert.Equal(0, Sandbox.Requests.Count);
    }

    [Fact]
    public void FeedbotMessagesAreFilledPerRowInTheirBatches()
    {
        var run = _ps.Run($$"""
            1..5 | ForEach-Object { [pscustomobject]@{ Phone = "+972 58-666-664$_"; Name = "n$_"; Code = $_ * 111 } } |
                Send-FeedbotMessage -Token $FeedbotToken -Endpoint $SandboxFeedbot -BatchSize 2 -Message $template
            """, new Dictionary<string, object?> { ["template"] = Persian });

        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        var queued = Sandbox.Feedbot.Queued.Snapshot().ToDictionary(q => q.Phone, q => q.Message);
        for (int i = 1; i <= 5; i++) Assert.Equal($"سلام n{i}، کد شما {i * 111} است", queued[$"97258666664{i}"]);
    }

    [Fact]
    public void ZadarmaSmsAreFilledPerRow()
    {
        var run = _ps.Run($$"""
            @(
              [pscustomobject]@{ Number = '79001234567'; Name = 'Sara'; Code = '1' },
              [pscustomobject]@{ Number = '79001234568'; Name = 'Reza'; Code = '2' }
            ) | Send-ZadarmaSms -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -Message $template
            """, new Dictionary<string, object?> { ["template"] = Persian });

        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        var sms = Sandbox.Zadarma.Sms.Snapshot().ToDictionary(s => s.Number, s => s.Message);
        Assert.Equal("سلام Sara، کد شما 1 است", sms["79001234567"]);
        Assert.Equal("سلام Reza، کد شما 2 است", sms["79001234568"]);
    }

    [Fact]
    public void AFilledTextIsCheckedLikeATypedOne()
    {
        // An empty value leaves an empty SMS: refused for that row as an empty text would be.
        var run = _ps.Run("""
            @(
              [pscustomobject]@{ Number = '79001234567'; Note = '' },
              [pscustomobject]@{ Number = '79001234568'; Note = 'fine' }
            ) | Send-ZadarmaSms -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -Message '{Note}'
            """);

        Assert.StartsWith("Row 1, Message:", Assert.Single(run.Errors).ErrorDetails.Message);
        Assert.Equal("fine", Assert.Single(Sandbox.Zadarma.Sms.Snapshot()).Message);
    }

    [Fact]
    public void RowValuesAreTheRowsPropertiesAsText()
    {
        var row = PSObject.AsPSObject(new PSObject());
        row.Properties.Add(new PSNoteProperty("Name", "Sara"));
        row.Properties.Add(new PSNoteProperty("Count", 3));
        var values = new RowValues(row);

        Assert.True(values.TryGetValue("NAME", out var name));
        Assert.Equal("Sara", name);
        Assert.Equal("3", values["count"]);
        Assert.False(values.ContainsKey("Phone"));
        Assert.Equal(new[] { "Name", "Count" }, values.Keys);
        Assert.Empty(new RowValues(PSObject.AsPSObject("0912")));
        Assert.Empty(new RowValues(PSObject.AsPSObject(42)));
    }
}
