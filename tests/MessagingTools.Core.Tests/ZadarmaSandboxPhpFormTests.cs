using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>
/// The sandbox reads a Zadarma request as PHP does before it checks the signature (issue 18: lists such as
/// numbers[0]=...). Each expected text below was printed by PHP 8.2:
/// <c>parse_str($raw, $p); ksort($p); echo http_build_query($p, '', '&amp;', PHP_QUERY_RFC1738);</c>
/// </summary>
public sealed class ZadarmaSandboxPhpFormTests
{
    [Theory]
    [InlineData("numbers%5B0%5D=1&numbers%5B1%5D=2", "numbers%5B0%5D=1&numbers%5B1%5D=2")]
    [InlineData("numbers%5B%5D=a&numbers%5B%5D=b", "numbers%5B0%5D=a&numbers%5B1%5D=b")]
    [InlineData("a.b=1&c+d=2&z=3", "a_b=1&c_d=2&z=3")]
    [InlineData("m%5Bx%5D%5By%5D=1&m%5Bx%5D%5Bz%5D=2&a=0", "a=0&m%5Bx%5D%5By%5D=1&m%5Bx%5D%5Bz%5D=2")]
    [InlineData("x=1&x=2&y%5B2%5D=a&y%5B%5D=b", "x=2&y%5B2%5D=a&y%5B3%5D=b")]
    [InlineData("numbers%5B10%5D=k&numbers%5B2%5D=c", "numbers%5B10%5D=k&numbers%5B2%5D=c")]
    public void WhatThePhpOfZadarmaParsesAndBuildsAgainIsWhatTheSandboxSigns(string raw, string php)
    {
        Assert.Equal(php, PhpForm.HttpBuildQuery(PhpForm.KSortTree(PhpForm.ParseTree(raw))));
    }
}
