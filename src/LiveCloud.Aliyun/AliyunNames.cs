namespace LiveCloud.Aliyun;

/// <summary>Aliyun's rule for AppName and StreamName: 1–256 of <c>A–Z a–z 0–9 _ - =</c> (stricter than <see cref="StreamId"/>: no <c>.</c>).</summary>
internal static class AliyunNames
{
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > StreamId.MaxLength)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '='))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the value unless <paramref name="stream"/> passes Aliyun's rule.</summary>
    public static void Require(StreamId stream, string parameterName)
    {
        if (!IsValid(stream.App))
        {
            throw new ArgumentException($"Aliyun app name '{stream.App}' may hold only letters, digits, '_', '-' and '=' (1 to 256 characters).", parameterName);
        }

        if (!IsValid(stream.Name))
        {
            throw new ArgumentException($"Aliyun stream name '{stream.Name}' may hold only letters, digits, '_', '-' and '=' (1 to 256 characters).", parameterName);
        }
    }
}
