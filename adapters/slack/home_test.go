package slack

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
	"github.com/statusbot/statusbot/bot"
)

// The App Home tab: published when opened, and answering the codes picked
// on it, over Socket Mode and HTTP mode.

// homeParts splits a published Home tab at its divider: the home page, and
// the answer shown below it, if any.
func homeParts(t *testing.T, c slacktest.Call) (home, shown []any) {
	t.Helper()
	view, _ := c.JSON["view"].(map[string]any)
	if c.JSON["user_id"] != "U1" || view["type"] != "home" || !strings.HasPrefix(view["private_metadata"].(string), "statusbot-home:") {
		t.Errorf("views.publish %v, want U1's home tab with its version", c.JSON)
	}
	if len(c.Blocks) > maxHomeBlocks {
		t.Errorf("home tab of %d blocks, limit %d", len(c.Blocks), maxHomeBlocks)
	}
	for i, b := range c.Blocks {
		if b.(map[string]any)["type"] == "divider" {
			return c.Blocks[:i], c.Blocks[i+1:]
		}
	}
	return c.Blocks, nil
}

// checkHome checks the home page: the core's Home, its words as they are,
// the message shortcut named, the most asked codes as buttons.
func checkHome(t *testing.T, blocks []any) {
	t.Helper()
	home := testBot(t).Home()
	checkLimits(t, "home", rendered{Text: "home", Blocks: blocks})
	if got := headerText(blocks); got != home.Title {
		t.Errorf("home header %q, want %q", got, home.Title)
	}
	body := sectionTexts(blocks)
	if !strings.Contains(body, bot.ExplainAction) || !strings.Contains(body, "`401 vs 403`") {
		t.Errorf("home page\n%s\nwant the shortcut %q and the examples", body, bot.ExplainAction)
	}
	bs := buttons(blocks)
	if len(bs) != len(home.Choices) {
		t.Errorf("home buttons %v, want the %d most asked codes", bs, len(home.Choices))
	}
	for _, c := range home.Choices {
		if n := strconv.Itoa(c.Code); bs[actionCode+n] != n {
			t.Errorf("home buttons %v lack %d", bs, c.Code)
		}
	}
}

// homeScenario opens the Home tab, opens it again as published, opens it
// as an older version left it, opens the Messages tab, and picks a code.
func homeScenario(t *testing.T, h *harness, event func(id string, e map[string]any), press func(p map[string]any)) {
	event("EvHome1", slacktest.AppHomeOpened("U1", nil))
	c := h.fake.WaitCalls(t, "views.publish", 1)[0]
	home, shown := homeParts(t, c)
	checkHome(t, home)
	if shown != nil {
		t.Errorf("first opening shows an answer: %v", shown)
	}
	published := c.JSON["view"].(map[string]any)

	event("EvHome2", slacktest.AppHomeOpened("U1", published))                                                              // current: left as it is
	event("EvHome3", slacktest.AppHomeOpened("U1", map[string]any{"type": "home", "private_metadata": "statusbot-home:0"})) // older
	messages := slacktest.AppHomeOpened("U1", nil)
	messages["tab"] = "messages"
	event("EvHome4", messages)
	h.fake.WaitCalls(t, "views.publish", 2)

	press(slacktest.HomeBlockAction("U1", actionCode+"429", "429", "1700000702.000001"))
	c = h.fake.WaitCalls(t, "views.publish", 3)[2]
	home, shown = homeParts(t, c)
	checkHome(t, home)
	checkLimits(t, "shown", rendered{Text: "shown", Blocks: shown})
	if got := headerText(shown); got != "429 Too Many Requests" {
		t.Errorf("picked 429: the tab shows %q below the home page", got)
	}
	h.stop(t)
	if n := h.fake.Count("views.publish"); n != 3 {
		t.Errorf("%d publications, want 3: first opening, older version, code picked", n)
	}
	if answered, errors, _, _ := h.obs.counts(); answered != 1 || errors != 0 {
		t.Errorf("observer: %d answers, %d errors; want 1 (the code picked), none", answered, errors)
	}
}

func TestHomeSocket(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	homeScenario(t, h,
		func(id string, e map[string]any) {
			h.fake.WaitAck(t, h.fake.Send(t, "events_api", slacktest.EventCallback(id, e)))
		},
		func(p map[string]any) { h.fake.WaitAck(t, h.fake.Send(t, "interactive", p)) })
}

func TestHomeHTTP(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	homeScenario(t, h.harness,
		func(id string, e map[string]any) {
			if code, _ := h.post(t, "/slack/events", "application/json", jsonBody(t, slacktest.EventCallback(id, e)), testSecret, time.Now()); code != http.StatusOK {
				t.Errorf("app_home_opened = %d, want 200", code)
			}
		},
		func(p map[string]any) {
			form := url.Values{"payload": {string(jsonBody(t, p))}}.Encode()
			if code, _ := h.post(t, "/slack/interactions", "application/x-www-form-urlencoded", []byte(form), testSecret, time.Now()); code != http.StatusOK {
				t.Errorf("home press = %d, want 200", code)
			}
		})
}

// TestHomeLimited: codes picked on the Home tab count against the abuse
// limits; past them, the tab shows the notice once, then stays as it is.
func TestHomeLimited(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket, withLimits)
	for i := range 7 {
		p := slacktest.HomeBlockAction("U1", actionCode+"404", "404", "1700000703.00000"+strconv.Itoa(i+1))
		h.fake.WaitAck(t, h.fake.Send(t, "interactive", p))
	}
	cs := h.fake.WaitCalls(t, "views.publish", 6)
	h.stop(t)
	if n := h.fake.Count("views.publish"); n != 6 {
		t.Errorf("%d publications, want 6 (5 answers, 1 notice)", n)
	}
	notices := 0
	for _, c := range cs {
		if _, shown := homeParts(t, c); headerText(shown) == testBot(t).RateLimitedAnswer("").Title {
			notices++
		}
	}
	if notices != 1 {
		t.Errorf("%d notices, want 1", notices)
	}
}

// TestHomeViewLimits: a Home tab holds at most 100 blocks, whatever the
// answers in it; each part is within a message's limits.
func TestHomeViewLimits(t *testing.T) {
	t.Parallel()
	b := testBot(t)
	for name, v := range map[string]slackHome{
		"home":              {b.Home(), nil},
		"home and 429":      {b.Home(), b.AnswerCode(429)},
		"stress and stress": {stress(), stress()},
	} {
		view := homeView(v.home, v.shown)
		blocks := asJSON(t, view.Blocks.BlockSet).([]any)
		home, shown := homeParts(t, slacktest.Call{Blocks: blocks, JSON: map[string]any{"user_id": "U1", "view": asJSON(t, view)}})
		checkLimits(t, name, rendered{Text: "home", Blocks: home})
		if v.shown != nil {
			checkLimits(t, name+" (shown)", rendered{Text: "shown", Blocks: shown})
		}
	}
}

type slackHome struct{ home, shown *bot.Answer }
