using System.Collections.Specialized;
using System.Management.Automation;

namespace EventStoreTools.Cmdlets;

/// <summary>Unwraps PowerShell objects into the plain .NET values the core's JSON writer knows.</summary>
internal static class PlainValue
{
    /// <summary>A PSCustomObject becomes an ordered dictionary of its properties; any other PSObject its base object.</summary>
    public static object? FromForeign(object value)
    {
        if (value is not PSObject psObject) return value;
        if (psObject.BaseObject is not PSCustomObject) return psObject.BaseObject;
        var properties = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var property in psObject.Properties)
            properties[property.Name] = property.Value;
        return properties;
    }
}
