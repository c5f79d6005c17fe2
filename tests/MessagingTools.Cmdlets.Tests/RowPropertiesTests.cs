using System.Management.Automation;
using MessagingTools.Internal;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// The fast way to read a row's columns (PSObject's own members, issue 16) gives what PowerShell's public enumeration
/// gives, for the rows the module meets: ConvertFrom-Csv rows, [pscustomobject] rows and rows with members added.
/// </summary>
public sealed class RowPropertiesTests
{
    private static IReadOnlyList<PSObject> Rows(string script)
    {
        using var ps = PowerShell.Create(System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2());
        return ps.AddScript(script).Invoke().ToList();
    }

    public static TheoryData<string> Scripts => new()
    {
        "'Phone,Mobile,Text', '09121234567,,Hello', ',09127654321,\"a, b\"' | ConvertFrom-Csv",
        "[pscustomobject]@{ PhoneNumber = '98912'; Text = 'x'; Count = 3; Empty = $null }",
        "[pscustomobject]@{ Phone = '1' } | Add-Member -NotePropertyName Extra -NotePropertyValue 2 -PassThru | " +
            "Add-Member -MemberType ScriptProperty -Name Computed -Value { 'c' } -PassThru | " +
            "Add-Member -MemberType AliasProperty -Name Mobile -Value Phone -PassThru | " +
            "Add-Member -MemberType ScriptMethod -Name Go -Value { 1 } -PassThru",
        "[pscustomobject]@{ PSTypeName = 'My.Row'; Phone = '1'; Text = 't' }",
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void TheFastWayGivesTheColumnsPowerShellGives(string script)
    {
        Assert.True(RowProperties.HasFastPath, "PSObject.InstanceMembers was not found: every row takes the slow way");
        foreach (var row in Rows(script))
        {
            var fast = RowProperties.Of(row).Select(p => (p.Name, Value: p.Value?.ToString())).ToList();
            var slow = RowProperties.Of(row, allowFastPath: false).Select(p => (p.Name, Value: p.Value?.ToString())).ToList();
            Assert.NotEmpty(fast);
            Assert.Equal(slow, fast);
        }
    }

    [Fact]
    public void ARowThatIsNotAPSCustomObjectTakesThePublicWay()
    {
        var row = PSObject.AsPSObject(new Uri("https://example.org/"));
        Assert.Equal(row.Properties.Select(p => p.Name), RowProperties.Of(row).Select(p => p.Name));
    }

    /// <summary>
    /// The column check of a run remembers the names of a row that needs no check, and passes the rows with the same names
    /// without reading their values (issue 16: per-row time); a row whose columns may disagree is still checked, every time.
    /// </summary>
    [Fact]
    public void TheColumnCheckPassesRowsOfAKnownShapeAndStillChecksRowsThatMayDisagree()
    {
        var type = typeof(MessagingTools.Commands.Bale.SendBaleMessageCommand);
        var shape = new RowBinding.ColumnShape();
        var rows = Rows("[pscustomobject]@{ Phone = '09121234567'; Text = 'one' }; [pscustomobject]@{ Phone = '09121234568'; Text = 'two' }");
        Assert.False(shape.Matches(rows[0]));
        RowBinding.CheckColumns(type, rows[0], shape);
        Assert.True(shape.Matches(rows[1]));
        Assert.False(shape.Matches(Rows("[pscustomobject]@{ Text = 'one'; Phone = '0912' }")[0]), "another order is another shape");
        Assert.False(shape.Matches(Rows("[pscustomobject]@{ Phone = '0912'; Text = 'one'; Note = 'x' }")[0]));

        // Phone and Mobile both bind -PhoneNumber: such a shape is never remembered, so a later row that disagrees is refused.
        var twoPhones = Rows("[pscustomobject]@{ Phone = '09121234567'; Mobile = '09121234567'; Text = 'one' }; [pscustomobject]@{ Phone = '09121234567'; Mobile = '09127654321'; Text = 'two' }");
        var run = new RowBinding.ColumnShape();
        RowBinding.CheckColumns(type, twoPhones[0], run);
        Assert.False(run.Matches(twoPhones[1]));
        var ex = Assert.Throws<MessagingTools.Core.Errors.MessagingException>(() => RowBinding.CheckColumns(type, twoPhones[1], run));
        Assert.Equal("RowHasConflictingColumns", ex.ErrorId);
    }
}
