using System.Globalization;
using System.Text;
using System.Text.Json;
using LiveCloud.Json;

namespace LiveCloud.LiveRooms.Api;

/// <summary>Reads and checks what clients send the rooms API: text fields of JSON bodies, room titles.</summary>
public static class RoomInput
{
    private const char ZeroWidthJoiner = '\u200d';

    /// <summary>
    /// A string field of a JSON object, decoded with <see cref="JsonFields"/>. <paramref name="present"/> says whether
    /// the field is there (and not <c>null</c>); the text is <see langword="null"/> when it is not a string, or when the
    /// body holds text that is not valid Unicode (a lone surrogate such as <c>"\ud800"</c>), which the caller answers 400.
    /// </summary>
    /// <param name="body">The JSON object.</param>
    /// <param name="name">The field.</param>
    /// <param name="present">Whether the field is present and not null.</param>
    public static string? Text(JsonElement body, string name, out bool present)
    {
        try
        {
            present = body.Find(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null;
            return present && value.ValueKind == JsonValueKind.String ? value.AsText(name) : null;
        }
        catch (FormatException)
        {
            present = true;
            return null;
        }
    }

    /// <summary>
    /// Why <paramref name="title"/> cannot name a room, or <see langword="null"/> when it can: 1 to
    /// <see cref="LiveRoomsOptions.MaxTitleLength"/> characters once trimmed, at most <paramref name="maxBytes"/> UTF-8
    /// bytes when the chat service limits its group names so, and no control, line or paragraph separator, or
    /// invisible formatting character (U+202E right-to-left override, U+200B zero-width space, U+FEFF…) that could
    /// make one title look like another. The zero-width joiner inside emoji sequences is allowed.
    /// </summary>
    /// <param name="title">The title as sent (<see langword="null"/> when missing, not a string, or not valid Unicode).</param>
    /// <param name="maxBytes">The chat service's limit in UTF-8 bytes, if it has one.</param>
    public static string? TitleError(string? title, int? maxBytes)
    {
        if (title is null)
        {
            return $"title is required: a string of 1 to {LiveRoomsOptions.MaxTitleLength} characters of valid Unicode text.";
        }

        title = title.Trim();
        if (title.Length == 0)
        {
            return "title must not be empty.";
        }

        if (title.Length > LiveRoomsOptions.MaxTitleLength)
        {
            return $"title must be at most {LiveRoomsOptions.MaxTitleLength} characters; got {title.Length}.";
        }

        int bytes = Encoding.UTF8.GetByteCount(title);
        if (maxBytes is int limit && bytes > limit)
        {
            return $"title must be at most {limit} UTF-8 bytes, the room chat's limit for a group name; got {bytes} bytes.";
        }

        ReadOnlySpan<char> rest = title;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out Rune rune, out int used) != System.Buffers.OperationStatus.Done)
            {
                return "title must be valid Unicode text (it holds a lone surrogate).";
            }

            rest = rest[used..];
            UnicodeCategory category = Rune.GetUnicodeCategory(rune);
            if (category == UnicodeCategory.Control)
            {
                return "title must not contain control characters (line breaks, tabs…).";
            }

            if (category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                || (category == UnicodeCategory.Format && rune.Value != ZeroWidthJoiner))
            {
                return $"title must not contain invisible formatting, direction or separator characters; found U+{rune.Value:X4}.";
            }
        }

        return null;
    }
}
