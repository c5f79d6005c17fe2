using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Core.Security;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// The base of the Zadarma cmdlets: <c>-Credential</c> (user name = API key, password = secret) and <c>-Endpoint</c>,
    /// with environment-variable defaults for runbooks, and one <see cref="ZadarmaClient"/> per run, so that every
    /// concurrent request of the run shares one rate-limit gate (made as every provider's client is: ProviderCmdlet).
    /// </summary>
    public abstract class ZadarmaCmdlet<TItem, TResult> : ProviderCmdlet<TItem, TResult, ZadarmaClient>
    {
        internal const string EndpointVariable = "MESSAGINGTOOLS_ZADARMA_ENDPOINT";

        /// <summary>
        /// The Zadarma API key as the user name and the secret key as the password (Get-Credential, Get-Secret).
        /// Default: $env:MESSAGINGTOOLS_ZADARMA_API_KEY and $env:MESSAGINGTOOLS_ZADARMA_API_SECRET.
        /// </summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Another Zadarma address (a sandbox). Default: $env:MESSAGINGTOOLS_ZADARMA_ENDPOINT, else https://api.zadarma.com/.</summary>
        [Parameter]
        public Uri? Endpoint { get; set; }

        /// <summary>The Zadarma user key of the run, resolved with the secret: the one credential ProviderClient does not keep.</summary>
        private string _key = "";

        protected override Secret ResolveSecret()
        {
            var (key, secret) = ZadarmaCredentials.Resolve(this, Credential, IsDryRun) ?? throw new InvalidOperationException("A required credential was not resolved.");
            _key = key;
            return secret;
        }

        protected override Uri ResolveEndpoint() => RunSettings.Endpoint(this, Endpoint, EndpointVariable, ZadarmaClient.DefaultEndpoint);

        protected override ZadarmaClient CreateClient(Secret secret, Uri endpoint, HttpTransport transport)
        {
            var client = new ZadarmaClient(_key, secret, endpoint, transport);
            // Statistics wait up to a minute for their own limit (3 requests a minute): the progress says so (issue 18, item 7).
            client.StatisticsGate.Waiting += wait => NoteWait(wait, "Zadarma's statistics limit");
            return client;
        }

        protected override string RateLimitName => "Zadarma's rate limit";
    }

    /// <summary>
    /// A Zadarma cmdlet that reads the account as a whole (its balance, its SIP numbers): it takes no input, so its one
    /// work item is the read itself.
    /// </summary>
    public abstract class ZadarmaAccountReadCmdlet<TResult> : ZadarmaCmdlet<ZadarmaAccountRead, TResult>
    {
        /// <summary>What this cmdlet reads.</summary>
        protected abstract ZadarmaAccountRead Read { get; }

        /// <summary>The ShouldProcess action, e.g. "Read the balance".</summary>
        protected abstract string Action { get; }

        /// <summary>The one request of the run.</summary>
        protected abstract Task<TResult> ReadAsync(CancellationToken cancellationToken);

        protected sealed override ZadarmaAccountRead CreateItem() => Read;

        protected sealed override (string Target, string Action) Describe(ZadarmaAccountRead item) => ("Zadarma account", Action);

        protected sealed override Task<IReadOnlyList<Outcome<TResult>>> RunAsync(IReadOnlyList<ZadarmaAccountRead> items, CancellationToken cancellationToken) =>
            One(ReadAsync(cancellationToken));
    }

    /// <summary>A Zadarma cmdlet that takes rows from the pipeline; errors carry the row (see PipelineRowCmdlet).</summary>
    public abstract class ZadarmaRowCmdlet<TItem, TResult> : ZadarmaCmdlet<TItem, TResult>
    {
        /// <summary>The current pipeline row; bound by PowerShell, not meant to be given by hand.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get => Input; set => Input = value; }

        /// <summary>
        /// Writes one object per input row, successes and failures alike: the row's own columns, then Row, Outcome
        /// (Succeeded or Failed), the result's properties, ErrorId, Error and MayHaveTakenEffect; every object has the
        /// same columns, so <c>| Export-Csv outcomes.csv</c> gives one CSV of outcomes. Failures are still written to
        /// the error stream as well (so -ErrorVariable and -ErrorAction keep working).
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeInput { get => IncludeInputRequested; set => IncludeInputRequested = value.IsPresent; }
    }

    /// <summary>
    /// A Zadarma row cmdlet whose inputs hold phone numbers: it takes <c>-DefaultCountryCode</c>, for numbers written in local
    /// form (0912...), which Zadarma cannot place; without it such a number is its row's error (ZadarmaNumberHasNoCountryCode).
    /// As Send-FeedbotMessage does, and so that Bale's fallback works: rows that failed as "not a Bale user", piped to
    /// <c>Send-ZadarmaSms -DefaultCountryCode 98</c>, reach the right numbers (issue 18, item 6).
    /// </summary>
    public abstract class ZadarmaPhoneCmdlet<TItem, TResult> : ZadarmaRowCmdlet<TItem, TResult>
    {
        internal const string CountryCodeVariable = "MESSAGINGTOOLS_ZADARMA_COUNTRY_CODE";

        private string? _defaultCountryCode;

        /// <summary>
        /// The country code for phone numbers written without one, in place of their leading 0 (98 for Iran: 0912 345 6789
        /// becomes 989123456789). Without it such a number is refused. Default: $env:MESSAGINGTOOLS_ZADARMA_COUNTRY_CODE.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CountryCode")]
        [AllowEmptyString]
        public string? DefaultCountryCode { get; set; }

        /// <summary>The country code of the current input: -DefaultCountryCode (or its column), else the environment's.</summary>
        protected string? CountryCode => string.IsNullOrWhiteSpace(DefaultCountryCode) ? _defaultCountryCode : DefaultCountryCode;

        protected override void BeginRun()
        {
            base.BeginRun();
            var variable = System.Environment.GetEnvironmentVariable(CountryCodeVariable);
            if (string.IsNullOrWhiteSpace(variable)) return;
            try { _defaultCountryCode = MessagingTools.Core.Phones.PhoneNumbers.NormalizeCountryCode(variable, ZadarmaClient.ProviderName); }
            catch (MessagingTools.Core.Errors.MessagingException)
            {
                ThrowTerminatingError(ErrorRecords.ForRun("CountryCodeIsInvalid", ErrorCategory.InvalidArgument,
                    $"The environment variable {CountryCodeVariable} holds '{variable}', which is not a country calling code: give 1 to 3 digits such as 98."));
            }
        }
    }
}
