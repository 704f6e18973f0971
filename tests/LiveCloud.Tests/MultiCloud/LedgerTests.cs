using LiveCloud.MultiCloud;

namespace LiveCloud.Tests.MultiCloud;

/// <summary>The session ledger: one ordered, exactly-once timeline per show from members' events in any order.</summary>
public class LedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);
    private static readonly StreamId Show = new("live", "room_1");

    private static StreamEvent Publish(string member, double seconds, string session, string? id = null) =>
        new(member, StreamEventKind.Published, Show, T0.AddSeconds(seconds), id ?? $"{member}:publish:{session}") { SessionId = session };

    private static StreamEvent Unpublish(string member, double seconds, string session, string? id = null) =>
        new(member, StreamEventKind.Unpublished, Show, T0.AddSeconds(seconds), id ?? $"{member}:done:{session}") { SessionId = session };

    private static TimelineEntryKind[] Kinds(ShowSession show) => [.. show.Timeline.Select(e => e.Kind)];

    [Fact]
    public void A_failover_is_one_show_published_on_A_lost_with_A_moved_to_B_with_viewers_switched_and_A_back_up()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.FromSeconds(30));
        var raised = new List<TimelineEntryEventArgs>();
        ledger.EntryAdded += (_, e) => raised.Add(e);

        ledger.Record(Publish("A", 0, "1")).Should().Be(LedgerOutcome.Applied);
        ledger.RecordServing(Show, "A", T0.AddSeconds(0.1), "the only member holding it").Should().BeFalse("a first serving member is no switch");
        ledger.RecordProviderHealth("A", isUp: false, T0.AddSeconds(10), "3 failed checks");
        ledger.Find(Show)!.State.Should().Be(ShowState.Reconnecting);
        ledger.Record(Publish("B", 14, "9")).Should().Be(LedgerOutcome.Applied);
        ledger.RecordServing(Show, "B", T0.AddSeconds(14.1), "A is down").Should().BeTrue();
        ledger.RecordProviderHealth("A", isUp: true, T0.AddSeconds(40), "3 successful checks");

        ShowSession show = ledger.Find(Show)!;
        show.State.Should().Be(ShowState.Live);
        show.HostProvider.Should().Be("B");
        show.ServingProvider.Should().Be("B");
        show.LiveOn.Should().Equal("B");
        show.Failovers.Should().Be(1);
        Kinds(show).Should().Equal(
            TimelineEntryKind.Started, TimelineEntryKind.ProviderDown, TimelineEntryKind.HostLost, TimelineEntryKind.HostMoved,
            TimelineEntryKind.ViewersSwitched, TimelineEntryKind.ProviderUp);
        show.Timeline.Should().NotContain(e => e.Kind == TimelineEntryKind.Ended, "the host came back within the window");
        show.Timeline[3].Should().Match<TimelineEntry>(e => e.Provider == "B" && e.PreviousProvider == "A" && e.Detail.Contains("after 4 s"));
        show.Timeline.Select(e => e.At).Should().BeInAscendingOrder();
        ledger.Sessions(Show).Should().ContainSingle("one show, whatever clouds it crossed");
        raised.Select(r => r.Entry).Should().Equal(show.Timeline, "every entry is raised once, in order");
        raised[^1].Session.Should().Be(show);
    }

    [Fact]
    public void A_redelivered_event_changes_nothing_and_is_raised_once()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.FromSeconds(30));
        int raised = 0;
        ledger.EntryAdded += (_, _) => raised++;

        ledger.Record(Publish("A", 0, "1")).Should().Be(LedgerOutcome.Applied);
        ledger.Record(Publish("A", 0, "1")).Should().Be(LedgerOutcome.Duplicate);
        ledger.Record(Publish("A", 5, "1")).Should().Be(LedgerOutcome.Duplicate, "the same event id is the same event, whenever it says it happened");
        ledger.Record(Publish("B", 0, "1", id: "A:publish:1")).Should().Be(LedgerOutcome.Applied, "ids are per member");

        raised.Should().Be(2);
        ledger.Find(Show)!.Timeline.Should().HaveCount(2);
    }

    [Fact]
    public void An_unpublish_arriving_before_its_publish_leaves_the_publish_late()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.FromSeconds(30));

        ledger.Record(Unpublish("A", 20, "1")).Should().Be(LedgerOutcome.Ignored);
        ledger.Record(Publish("A", 0, "1")).Should().Be(LedgerOutcome.Late, "the push it started already ended");

        ledger.Find(Show).Should().BeNull("no show is live");
    }

    [Fact]
    public void The_end_of_an_older_push_session_does_not_end_the_current_one()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.FromSeconds(30));
        ledger.Record(Publish("A", 0, "1"));
        ledger.Record(Unpublish("A", 5, "1"));
        ledger.Record(Publish("A", 6, "2"));

        ledger.Record(Unpublish("A", 5.5, "1", id: "A:done:1:again")).Should().Be(LedgerOutcome.Late, "older than what is known of A");
        ledger.Record(Unpublish("A", 7, "1", id: "A:done:1:late")).Should().Be(LedgerOutcome.Late, "session 1's end, while session 2 is live");

        ShowSession show = ledger.Find(Show)!;
        show.State.Should().Be(ShowState.Live);
        Kinds(show).Should().Equal(TimelineEntryKind.Started, TimelineEntryKind.HostLost, TimelineEntryKind.HostReturned);
    }

    [Fact]
    public void A_host_back_within_the_window_is_reconnecting_then_the_same_show()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.FromSeconds(30));
        ledger.Record(Publish("A", 0, "1"));
        ledger.Record(Unpublish("A", 10, "1"));

        ShowSession reconnecting = ledger.Find(Show)!;
        reconnecting.State.Should().Be(ShowState.Reconnecting, "not ended: the room shows 'reconnecting'");
        reconnecting.LostAt.Should().Be(T0.AddSeconds(10));
        ledger.Sweep(T0.AddSeconds(39)).Should().BeEmpty("the window is 30 s");

        ledger.Record(Publish("A", 39.9, "2"));
        ShowSession back = ledger.Find(Show)!;
        back.State.Should().Be(ShowState.Live);
        back.Id.Should().Be(reconnecting.Id);
        ledger.Sessions(Show).Should().ContainSingle();
        back.Timeline[^1].Should().Match<TimelineEntry>(e => e.Kind == TimelineEntryKind.HostReturned && e.Provider == "A");
    }

    [Fact]
    public void A_host_gone_past_the_window_ended_the_show_and_a_new_publish_is_a_new_show()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.FromSeconds(30));
        ledger.Record(Publish("A", 0, "1"));
        ledger.Record(Unpublish("A", 10, "1"));

        IReadOnlyList<ShowSession> ended = ledger.Sweep(T0.AddSeconds(40));

        ended.Should().ContainSingle().Which.Should().Match<ShowSession>(s => s.State == ShowState.Ended && s.EndedAt == T0.AddSeconds(40));
        ledger.OpenShows().Should().BeEmpty();
        ledger.Record(Publish("A", 41, "2"));
        ledger.Sessions(Show).Select(s => s.State).Should().Equal(ShowState.Ended, ShowState.Live);
        ledger.Sessions(Show)[1].Id.Should().NotBe(ledger.Sessions(Show)[0].Id);
    }

    [Fact]
    public void A_publish_after_the_window_ends_the_old_show_at_the_window_even_without_a_sweep()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.FromSeconds(30));
        ledger.Record(Publish("A", 0, "1"));
        ledger.Record(Unpublish("A", 10, "1"));

        ledger.Record(Publish("B", 100, "7"));

        IReadOnlyList<ShowSession> shows = ledger.Sessions(Show);
        shows.Should().HaveCount(2);
        shows[0].Should().Match<ShowSession>(s => s.State == ShowState.Ended && s.EndedAt == T0.AddSeconds(40));
        shows[1].Should().Match<ShowSession>(s => s.State == ShowState.Live && s.HostProvider == "B");
    }

    [Fact]
    public void A_relayed_copy_is_also_live_and_its_end_does_not_touch_the_host()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.FromSeconds(30));
        ledger.Record(Publish("A", 0, "1"));
        ledger.RecordRelay(Show, "B", started: true, T0.AddSeconds(1), "Relaying from A to B.");
        ledger.Record(Publish("B", 2, "r1"));

        ShowSession both = ledger.Find(Show)!;
        both.LiveOn.Should().BeEquivalentTo(["A", "B"]);
        both.HostProvider.Should().Be("A");
        both.Timeline[^1].Should().Match<TimelineEntry>(e => e.Kind == TimelineEntryKind.AlsoLive && e.Detail.Contains("relayed from A"));

        ledger.Record(Unpublish("B", 5, "r1"));
        ShowSession after = ledger.Find(Show)!;
        after.State.Should().Be(ShowState.Live);
        after.LiveOn.Should().Equal("A");
        Kinds(after)[^1].Should().Be(TimelineEntryKind.NoLongerLive);
    }

    [Fact]
    public void A_host_whose_new_push_arrived_before_the_old_ones_end_moved_there_without_reconnecting()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.FromSeconds(30));
        ledger.Record(Publish("A", 0, "1"));
        ledger.Record(Publish("B", 8, "5"));
        ledger.Record(Unpublish("A", 6, "1"));

        ShowSession show = ledger.Find(Show)!;
        show.State.Should().Be(ShowState.Live);
        show.HostProvider.Should().Be("B");
        Kinds(show).Should().Equal(TimelineEntryKind.Started, TimelineEntryKind.HostLost, TimelineEntryKind.AlsoLive, TimelineEntryKind.HostMoved);
        show.Timeline.Select(e => e.At).Should().BeInAscendingOrder("entries are ordered by when things happened, not when they arrived");
    }

    [Fact]
    public void Health_changes_are_entries_only_of_shows_the_member_is_part_of()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.FromSeconds(30));
        var other = new StreamId("live", "room_2");
        ledger.Record(Publish("A", 0, "1"));
        ledger.Record(new StreamEvent("B", StreamEventKind.Published, other, T0, "B:1") { SessionId = "1" });

        ledger.RecordProviderHealth("A", isUp: false, T0.AddSeconds(5), "down");
        ledger.RecordProviderHealth("A", isUp: true, T0.AddSeconds(50), "up");

        Kinds(ledger.Find(Show)!).Should().Contain([TimelineEntryKind.ProviderDown, TimelineEntryKind.ProviderUp]);
        Kinds(ledger.Find(other)!).Should().Equal(TimelineEntryKind.Started);
    }

    [Fact]
    public void The_ledger_keeps_at_most_its_bound_evicting_ended_streams_first()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.Zero, maxStreams: 3);
        StreamId S(int i) => new("live", "s" + i);
        ledger.Record(new StreamEvent("A", StreamEventKind.Published, S(1), T0, "p1"));
        ledger.Record(new StreamEvent("A", StreamEventKind.Published, S(2), T0, "p2"));
        ledger.Record(new StreamEvent("A", StreamEventKind.Unpublished, S(2), T0.AddSeconds(1), "u2"));
        ledger.Sweep(T0.AddSeconds(2));
        ledger.Record(new StreamEvent("A", StreamEventKind.Published, S(3), T0, "p3"));

        ledger.Record(new StreamEvent("A", StreamEventKind.Published, S(4), T0, "p4"));

        ledger.Count.Should().Be(3);
        ledger.Find(S(2)).Should().BeNull("the ended show went first");
        ledger.Find(S(1)).Should().NotBeNull("the oldest, but still live");
    }

    [Fact]
    public void Events_the_ledger_does_not_model_are_ignored()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.FromSeconds(30));
        ledger.Record(new StreamEvent("A", StreamEventKind.PlayRequested, Show, T0, "play")).Should().Be(LedgerOutcome.Ignored);
        ledger.Find(Show).Should().BeNull();
    }

    [Fact]
    public void Reads_of_an_unchanged_show_return_the_same_snapshot()
    {
        var ledger = new InMemorySessionLedger(TimeSpan.FromSeconds(30));
        ledger.Record(Publish("A", 0, "1"));
        ShowSession first = ledger.Find(Show)!;
        ledger.Find(Show).Should().BeSameAs(first, "the routing hot path reads it on every URL signed");
        ledger.Record(Unpublish("A", 1, "1"));
        ledger.Find(Show).Should().NotBeSameAs(first);
    }
}
