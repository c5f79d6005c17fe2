using System.Security.Cryptography;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>
/// ZadarmaClient.PbxRedirection.cs against the sandbox over real HTTP: GET and POST /v1/pbx/redirection/, the sandbox
/// checking every signature, a multipart one over its fields without the file (as the PHP SDK signs it).
/// </summary>
public sealed class ZadarmaPbxRedirectionTests : IClassFixture<ZadarmaFixture>, IDisposable
{
    private readonly ZadarmaFixture _f;
    private readonly List<string> _files = new();

    public ZadarmaPbxRedirectionTests(ZadarmaFixture f)
    {
        _f = f;
        _f.Server.Reset();
    }

    public void Dispose()
    {
        foreach (var file in _files) File.Delete(file);
    }

    private ZadarmaSandbox Sandbox => _f.Server.Zadarma;

    private string Greeting(string extension, int size)
    {
        var path = Path.Combine(Path.GetTempPath(), $"greeting-{Guid.NewGuid():N}{extension}");
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        _files.Add(path);
        return path;
    }

    [Fact]
    public async Task TheForwardingOfAnExtensionIsRead()
    {
        var r = await _f.Client().GetPbxRedirectionAsync("101");
        Assert.Equal("101", r.Extension);
        Assert.True(r.Enabled);
        Assert.Equal("phone", r.Type);
        Assert.Equal("79001234567", r.Destination);
        Assert.Equal("noanswer", r.Condition);
        Assert.True(r.SetCallerId);
        Assert.Equal("Sales", r.PbxName);
        Assert.Null(r.VoicemailGreeting);
        Assert.Equal(("/v1/pbx/redirection/", "pbx_number=101"), Sandbox.Verified.Snapshot().Last());
    }

    [Fact]
    public async Task ForwardingToAPhoneIsPostedAsAFormAndTheAnswerRead()
    {
        var r = await _f.Client().SetPbxRedirectionAsync(new ZadarmaPbxRedirectionRequest("100", ZadarmaPbxRedirectionKind.Phone)
        {
            Destination = "+44 20 3769 1881", NoAnswerOnly = true, SetCallerId = true,
        });
        Assert.True(r.Enabled);
        Assert.Equal("442037691881", r.Destination);
        Assert.Equal("noanswer", r.Condition);
        var request = _f.Server.Requests.Snapshot().Last();
        Assert.Equal("POST", request.Method);
        Assert.Equal("condition=noanswer&destination=442037691881&pbx_number=100&set_caller_id=on&type=phone", request.BodyText);
        Assert.Equal(("/v1/pbx/redirection/", request.BodyText), Sandbox.Verified.Snapshot().Last());
    }

    [Fact]
    public async Task ForwardingIsSwitchedOff()
    {
        var r = await _f.Client().SetPbxRedirectionAsync(new ZadarmaPbxRedirectionRequest("101", ZadarmaPbxRedirectionKind.Off));
        Assert.False(r.Enabled);
        Assert.Equal(("/v1/pbx/redirection/", "pbx_number=101&status=off"), Sandbox.Verified.Snapshot().Last());
        Assert.Equal("off", Sandbox.PbxRedirections["101"].Status);
    }

    [Fact]
    public async Task VoicemailWithItsOwnGreetingUploadsTheFileSignedOverTheOtherFieldsOnly()
    {
        var path = Greeting(".mp3", 200_000);
        var r = await _f.Client().SetPbxRedirectionAsync(new ZadarmaPbxRedirectionRequest("100", ZadarmaPbxRedirectionKind.Voicemail)
        {
            Destination = "office@example.com", Greeting = ZadarmaVoicemailGreeting.Own, GreetingFile = path,
        });
        Assert.Equal("voicemail", r.Type);
        Assert.Equal("own", r.VoicemailGreeting);
        Assert.Equal("office@example.com", r.Destination);
        Assert.Equal("always", r.Condition);
        var request = _f.Server.Requests.Snapshot().Last();
        Assert.StartsWith("multipart/form-data", request.Header("Content-Type"));
        // The sandbox verified the signature of exactly these fields: the file is not part of it.
        Assert.Equal(("/v1/pbx/redirection/", "condition=always&destination=office%40example.com&pbx_number=100&type=voicemail&voicemail_greeting=own"),
            Sandbox.Verified.Snapshot().Last());
        var greeting = Assert.Single(Sandbox.Greetings.Snapshot());
        Assert.Equal(Path.GetFileName(path), greeting.FileName);
        Assert.Equal("audio/mpeg", greeting.ContentType);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant(), greeting.Sha256);
    }

    [Fact]
    public async Task AMultipartChangeIsRetriedWithTheFileReadAgain()
    {
        var path = Greeting(".wav", 10_000);
        _f.Server.Faults.Add(FaultKind.Status, "/v1/pbx/redirection/", status: 503);
        var r = await _f.Client().SetPbxRedirectionAsync(new ZadarmaPbxRedirectionRequest("100", ZadarmaPbxRedirectionKind.Voicemail)
        {
            Destination = "a@b.cd", Greeting = ZadarmaVoicemailGreeting.Own, GreetingFile = path, NoAnswerOnly = true,
        });
        Assert.Equal("own", r.VoicemailGreeting);
        Assert.Equal(10_000, Assert.Single(Sandbox.Greetings.Snapshot()).Length);
        Assert.Equal(2, _f.Server.Requests.Snapshot().Count(q => q.Path.EndsWith("/v1/pbx/redirection/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheStandardGreetingIsSpelledAsZadarmaSpellsIt()
    {
        await _f.Client().SetPbxRedirectionAsync(new ZadarmaPbxRedirectionRequest("100", ZadarmaPbxRedirectionKind.Voicemail)
        {
            Destination = "a@b.cd", Greeting = ZadarmaVoicemailGreeting.Standard,
        });
        Assert.EndsWith("voicemail_greeting=standart", Sandbox.Verified.Snapshot().Last().SignedQuery);
    }

    public static TheoryData<string, string?, string> BadGreetings()
    {
        var data = new TheoryData<string, string?, string>
        {
            { "missing", null, "ZadarmaGreetingFileIsMissing" },
            { "absent", "/no/such/greeting.mp3", "ZadarmaGreetingFileWasNotFound" },
            { "ogg", ".ogg", "ZadarmaGreetingFileTypeIsNotAllowed" },
            { "5 MB", ".mp3:5242880", "ZadarmaGreetingFileIsTooLarge" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(BadGreetings))]
    public async Task ABadGreetingFileIsRefusedNamingTheFieldBeforeSending(string _, string? file, string errorId)
    {
        if (file != null && file.StartsWith('.'))
        {
            var parts = file.Split(':');
            file = Greeting(parts[0], parts.Length > 1 ? int.Parse(parts[1]) : 100);
        }
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().SetPbxRedirectionAsync(
            new ZadarmaPbxRedirectionRequest("100", ZadarmaPbxRedirectionKind.Voicemail) { Destination = "a@b.cd", Greeting = ZadarmaVoicemailGreeting.Own, GreetingFile = file }));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal("GreetingFile", ex.Field);
        Assert.Empty(_f.Server.Requests.Snapshot());
    }

    [Fact]
    public void AGreetingJustUnder5MBIsTaken()
    {
        var path = Greeting(".MP3", (int)ZadarmaClient.MaxGreetingFileBytes - 1);
        var prepared = ZadarmaClient.Prepare(new ZadarmaPbxRedirectionRequest("100", ZadarmaPbxRedirectionKind.Voicemail)
        {
            Destination = "a@b.cd", Greeting = ZadarmaVoicemailGreeting.Own, GreetingFile = path,
        });
        Assert.Equal(path, prepared.GreetingFile);
    }

    [Theory]
    [InlineData(ZadarmaPbxRedirectionKind.Voicemail, "not-an-address", "ZadarmaEmailIsInvalid", "Email")]
    [InlineData(ZadarmaPbxRedirectionKind.Voicemail, "", "ZadarmaEmailIsInvalid", "Email")]
    [InlineData(ZadarmaPbxRedirectionKind.Phone, "", "ZadarmaNumberIsEmpty", "Destination")]
    public void ADestinationOfTheWrongKindIsRefusedNamingTheField(ZadarmaPbxRedirectionKind kind, string destination, string errorId, string field)
    {
        var ex = Assert.Throws<MessagingException>(() => ZadarmaClient.Prepare(new ZadarmaPbxRedirectionRequest("100", kind) { Destination = destination }));
        Assert.Equal(field, ex.Field);
        if (errorId != "ZadarmaNumberIsEmpty") Assert.Equal(errorId, ex.ErrorId);
    }

    [Fact]
    public async Task AnUnknownExtensionIsZadarmasError()
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().GetPbxRedirectionAsync("999"));
        Assert.Contains("pbx_number", ex.ProviderMessage);
    }
}
