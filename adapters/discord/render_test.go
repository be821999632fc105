package discord

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
	"github.com/statusbot/statusbot/internal/golden"
)

// limitQueries are the queries the limits test renders besides every code.
// They avoid depending on how the resolver ranks free text.
var limitQueries = []string{
	"help", "", "1xx", "2xx", "3xx", "4xx", "5xx", "41x", "401 vs 403", "301 vs 308",
	"404 vs 410 vs 400", "too many requests", "rate limited", "zzqxj", "42", "299", "random",
	"@everyone <@123> **bold** `code` ||spoiler|| [x](https://evil.example)",
	strings.Repeat("too long ", 40),
}

// TestRenderLimits renders every catalogue code, every class, help, and
// sample comparisons, searches, invalid and not-found answers, plus
// synthetic worst cases, and checks each against Discord's limits.
func TestRenderLimits(t *testing.T) {
	t.Parallel()
	for _, images := range []bot.Images{bot.ImagesNone, bot.ImagesCat} {
		b := newTestBot(t, images)
		var answers []*bot.Answer
		for _, c := range b.Catalog().Codes() {
			answers = append(answers, b.AnswerCode(c.Code))
		}
		for _, q := range limitQueries {
			answers = append(answers, b.Answer(q))
		}
		answers = append(answers, classListings(b.Catalog())...)
		answers = append(answers, worstCases()...)
		for _, a := range answers {
			name := fmt.Sprintf("%s/%s %q", images, a.Kind, relay.Truncate(a.Query, 40))
			checkMessage(t, name, Message(a))
			for _, private := range []bool{false, true} {
				checkInteraction(t, name, &discordgo.InteractionResponse{
					Type: discordgo.InteractionResponseChannelMessageWithSource,
					Data: InteractionData(a, private),
				}, private)
			}
		}
		if len(answers) < len(b.Catalog().Codes()) {
			t.Fatalf("rendered %d answers, fewer than the %d codes", len(answers), len(b.Catalog().Codes()))
		}
	}
}

// classListings lists every class the way the core does, with details as
// long as a filled-in catalogue's summaries, so the limits hold whatever
// the resolver and the data do.
func classListings(cat *catalog.Catalog) []*bot.Answer {
	var as []*bot.Answer
	for _, cl := range cat.Classes() {
		a := &bot.Answer{Result: bot.Result{Query: cl.Mask(), Kind: bot.KindClass, Class: cl.Number}, Title: cl.Mask() + ": " + cl.Name,
			Text: cl.Name + " (" + cl.Range() + "): " + cl.Description + ".", Tone: bot.Tone(cl.Number)}
		for _, c := range cl.Codes() {
			detail := c.Summary
			if detail == "" {
				detail = strings.Repeat("The server explains why the request failed in one sentence. ", 3)
			}
			a.Codes = append(a.Codes, c.Code)
			a.Items = append(a.Items, bot.Item{Code: c.Code, Label: c.Title() + " (unofficial, " + c.Vendor + ")", Detail: detail})
		}
		as = append(as, a)
	}
	return as
}

// worstCases are answers far beyond every limit, full of markdown, mentions
// and characters outside the Basic Multilingual Plane.
func worstCases() []*bot.Answer {
	long := func(unit string, n int) string { return strings.Repeat(unit, n) }
	huge := &bot.Answer{
		Result: bot.Result{Query: "huge", Kind: bot.KindStatus}, Tone: 4,
		Title:    long("*_~`|", 300),
		TitleURL: "https://example.com/" + long("a", 3000),
		Text:     long("🙂 @everyone <@&1> **x** ", 900),
		Note:     long("n", 5000),
		Image:    &bot.Image{URL: "https://http.cat/429.jpg", Alt: long("alt ", 1000)},
	}
	for i := range 40 {
		huge.Fields = append(huge.Fields, bot.Field{Name: long("Ñ", 500), Value: long("v🙂", 1000), URL: "https://example.com/(" + strconv.Itoa(i) + ")", Inline: i%2 == 0})
		huge.Items = append(huge.Items, bot.Item{Code: 400 + i, Label: long("L", 300), Detail: long("d", 2000)})
		huge.Links = append(huge.Links, bot.Link{Label: long("link", 50), URL: "https://example.com/" + strconv.Itoa(i)})
	}
	for i := range 8 {
		huge.Choices = append(huge.Choices, bot.Choice{Code: 400 + i, Label: long("c", 200)})
	}
	onlyItems := &bot.Answer{Result: bot.Result{Query: "items", Kind: bot.KindClass}, Title: "items"}
	for i := range 500 {
		onlyItems.Items = append(onlyItems.Items, bot.Item{Code: i, Label: long("🙂", 30), Detail: long("x", 100)})
	}
	empty := &bot.Answer{Result: bot.Result{Query: "", Kind: bot.KindNotFound}, Fields: []bot.Field{{Name: "", Value: ""}, {Name: " ", Value: " ", URL: "https://example.com"}}, Links: []bot.Link{{Label: "", URL: "https://x"}, {Label: "js", URL: "javascript:alert(1)"}}}
	return []*bot.Answer{huge, onlyItems, empty}
}

// TestGolden pins the renders of hand-made answers (testdata/answers)
// covering every presentation field, so that they change with the renderer,
// not with the catalogue or the resolver.
// `go test ./adapters/discord -run Golden -update` rewrites them.
func TestGolden(t *testing.T) {
	golden.Renders(t, func(t *testing.T, a *bot.Answer) []byte {
		checkMessage(t, "golden", Message(a))
		out, err := json.MarshalIndent(Message(a), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		return append(out, '\n')
	})
}

// TestRenderCostFollowsOutput: rendering reads no more of each text than
// the limits let through, so an answer with forty fields, items and links of
// a megabyte each renders in milliseconds (it took ten seconds when every
// text was escaped whole before being cut).
func TestRenderCostFollowsOutput(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("a*🙂\n", 1<<18) // 1.75 MB
	a := fuzzAnswer(big, big, big, big, big, big, big, big, big, big, big, 40, 40, 40, 10, 400, 4, 0)
	start := time.Now()
	m := Message(a)
	InteractionData(a, true)
	if d := time.Since(start); d > time.Second {
		t.Errorf("rendering a %d MB answer took %v", 120*len(big)>>20, d)
	}
	checkMessage(t, "huge", m)
}

// limit checks one string against a limit, counting code points (the unit
// JSON Schema and the lead's brief use) and UTF-16 units (what a JavaScript
// length would say); a rendered string must fit both.
func limit(t *testing.T, where, s string, lo, hi int) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s: invalid UTF-8 %q", where, s)
	}
	cp := utf8.RuneCountInString(s)
	u16 := len(utf16.Encode([]rune(s)))
	if cp > hi || u16 > hi {
		t.Errorf("%s: %d code points / %d UTF-16 units, limit %d", where, cp, u16, hi)
	}
	if len(strings.TrimSpace(s)) < lo {
		t.Errorf("%s: %q shorter than %d", where, s, lo)
	}
}

// markdown checks that a markdown text was not cut inside an escape: an odd
// run of backslashes at its end (before the "…" of a cut) escapes nothing
// it was meant to.
func markdown(t *testing.T, where, s string) {
	t.Helper()
	body := strings.TrimSuffix(s, "…")
	if n := len(body) - len(strings.TrimRight(body, `\`)); n%2 == 1 {
		t.Errorf("%s: ends inside an escape: %q", where, s[max(0, len(s)-20):])
	}
}

// wireMessage is the JSON a message or interaction response carries, decoded
// back from what would be sent.
type wireMessage struct {
	Content         string          `json:"content"`
	Embeds          []wireEmbed     `json:"embeds"`
	Components      []wireRow       `json:"components"`
	AllowedMentions *wireMentions   `json:"allowed_mentions"`
	Flags           int             `json:"flags"`
	Choices         []wireChoice    `json:"choices"`
	Reference       *map[string]any `json:"message_reference"`
	Nonce           string          `json:"nonce"`
	EnforceNonce    bool            `json:"enforce_nonce"`
}

type wireEmbed struct {
	Title       string `json:"title"`
	URL         string `json:"url"`
	Description string `json:"description"`
	Color       int    `json:"color"`
	Fields      []struct {
		Name   string `json:"name"`
		Value  string `json:"value"`
		Inline bool   `json:"inline"`
	} `json:"fields"`
	Footer *struct {
		Text string `json:"text"`
	} `json:"footer"`
	Image *struct {
		URL string `json:"url"`
	} `json:"image"`
}

type wireRow struct {
	Type       int `json:"type"`
	Components []struct {
		Type     int    `json:"type"`
		Style    int    `json:"style"`
		Label    string `json:"label"`
		URL      string `json:"url"`
		CustomID string `json:"custom_id"`
	} `json:"components"`
}

type wireMentions struct {
	Parse       *[]string `json:"parse"`
	RepliedUser bool      `json:"replied_user"`
}

type wireChoice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

func decodeWire(t testing.TB, body []byte) wireMessage {
	t.Helper()
	var m wireMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return m
}

func checkMessage(t *testing.T, name string, msg *discordgo.MessageSend) {
	t.Helper()
	body, err := discordgo.Marshal(msg)
	if err != nil {
		t.Fatalf("%s: marshal: %v", name, err)
	}
	checkWire(t, name, decodeWire(t, body))
}

func checkInteraction(t *testing.T, name string, resp *discordgo.InteractionResponse, private bool) {
	t.Helper()
	body, err := discordgo.Marshal(resp)
	if err != nil {
		t.Fatalf("%s: marshal: %v", name, err)
	}
	var r struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Type != 4 {
		t.Errorf("%s: callback type %d, want 4", name, r.Type)
	}
	m := decodeWire(t, r.Data)
	if got := m.Flags&64 != 0; got != private {
		t.Errorf("%s: ephemeral = %v, want %v", name, got, private)
	}
	checkWire(t, name, m)
}

// checkWire checks a message against Discord's documented limits.
func checkWire(t *testing.T, name string, m wireMessage) {
	t.Helper()
	limit(t, name+": content", m.Content, 0, 2000)
	if len(m.Embeds) == 0 || len(m.Embeds) > 10 {
		t.Errorf("%s: %d embeds, want 1..10", name, len(m.Embeds))
	}
	if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(*m.AllowedMentions.Parse) != 0 || m.AllowedMentions.RepliedUser {
		t.Errorf("%s: allowed_mentions = %+v, want an empty parse list", name, m.AllowedMentions)
	}
	total := 0
	for _, e := range m.Embeds {
		limit(t, name+": title", e.Title, 0, 256)
		limit(t, name+": description", e.Description, 0, 4096)
		markdown(t, name+": title", e.Title)
		markdown(t, name+": description", e.Description)
		limit(t, name+": url", e.URL, 0, 2048)
		total += utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		if len(e.Fields) > 25 {
			t.Errorf("%s: %d fields", name, len(e.Fields))
		}
		for _, f := range e.Fields {
			limit(t, name+": field name", f.Name, 1, 256)
			limit(t, name+": field value", f.Value, 1, 1024)
			markdown(t, name+": field name", f.Name)
			markdown(t, name+": field value", f.Value)
			total += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
		}
		if e.Footer != nil {
			limit(t, name+": footer", e.Footer.Text, 1, 2048)
			total += utf8.RuneCountInString(e.Footer.Text)
		}
		if e.Color < 0 || e.Color > 0xFFFFFF {
			t.Errorf("%s: colour %d", name, e.Color)
		}
	}
	if total > 6000 {
		t.Errorf("%s: embeds total %d characters, limit 6000", name, total)
	}
	if len(m.Components) > 5 {
		t.Errorf("%s: %d action rows, limit 5", name, len(m.Components))
	}
	for _, row := range m.Components {
		if row.Type != 1 || len(row.Components) < 1 || len(row.Components) > 5 {
			t.Errorf("%s: action row type %d with %d components", name, row.Type, len(row.Components))
		}
		for _, c := range row.Components {
			limit(t, name+": button label", c.Label, 1, 80)
			switch {
			case c.Style == 5:
				if c.CustomID != "" || !isWebURL(c.URL, 512) {
					t.Errorf("%s: link button %+v", name, c)
				}
			default:
				limit(t, name+": custom_id", c.CustomID, 1, 100)
				if c.URL != "" {
					t.Errorf("%s: button with both url and custom_id: %+v", name, c)
				}
			}
		}
	}
}
