package discord

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current renderer")

func newTestBot(t testing.TB, images bot.Images) *bot.Bot {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(cat, bot.Options{Images: images, Rand: func(int) int { return 0 }})
}

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
			name := fmt.Sprintf("%s/%s %q", images, a.Kind, truncate(a.Query, 40))
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

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"429 Too Many Requests", "429 Too Many Requests"},
		{"**bold** _it_ ~~s~~ `c` ||sp||", `\*\*bold\*\* \_it\_ \~\~s\~\~ \` + "`" + `c\` + "`" + ` \|\|sp\|\|`},
		{"[x](https://evil.example)", `\[x\](https://evil.example)`},
		{"<@123> <#1> <t:1:R> @everyone", `\<@123> \<#1> \<t:1:R> @everyone`},
		{"# h\n- item\n> quote\nRetry-After > 0 # no", "\\# h\n\\- item\n\\> quote\nRetry-After > 0 # no"},
		{`back\slash`, `back\\slash`},
		{"  - indented", `  \- indented`},
	}
	for _, tt := range tests {
		if got := escape(tt.in, -1); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncation(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"🙂🙂🙂", 4, "🙂…"}, // an emoji is two UTF-16 units: never half of one
		{"é漢字", 2, "é…"},
		{"ab cd", 4, "ab…"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.max); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
	// An escape sequence is never cut in half.
	if got := escape("a***", 4); got != `a\*…` {
		t.Errorf(`escape("a***", 4) = %q, want %q`, got, `a\*…`)
	}
}

// TestGolden pins renders of hand-built answers covering every presentation
// field, so that they do not change as the catalogue and resolver do. Run
// `go test ./adapters/discord -run Golden -update` to rewrite them.
func TestGolden(t *testing.T) {
	official, unofficial := true, false
	cases := map[string]*bot.Answer{
		"status": {
			Result: bot.Result{Query: "429", Kind: bot.KindStatus, Codes: []int{429, 503}, Phrase: "Too Many Requests", Official: &official},
			Title:  "429 Too Many Requests", TitleURL: "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Status/429",
			Text: "The user has sent too many requests in a given amount of time (rate limiting).\n\nWait for the time given in Retry-After before trying again.",
			Fields: []bot.Field{
				{Name: "Class", Value: "4xx: Client error responses (400-499)"},
				{Name: "Specification", Value: "RFC 6585, Section 4", URL: "https://www.rfc-editor.org/rfc/rfc6585#section-4"},
				{Name: "Related headers", Value: "Retry-After (how long to wait)"},
				{Name: "In code", Value: "http.StatusTooManyRequests (Go net/http), HTTPStatus.TOO_MANY_REQUESTS (Python http)"},
			},
			Links:   []bot.Link{{Label: "MDN", URL: "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Status/429"}, {Label: "RFC 6585", URL: "https://www.rfc-editor.org/rfc/rfc6585#section-4"}},
			Image:   &bot.Image{URL: "https://http.cat/429.jpg", Alt: "A cat illustrating 429 Too Many Requests"},
			Choices: []bot.Choice{{Code: 503, Label: "503 Service Unavailable"}},
			Tone:    4,
		},
		"unofficial": {
			Result: bot.Result{Query: "420", Kind: bot.KindStatus, Codes: []int{420}, Official: &unofficial}, Title: "420 Enhance Your Calm",
			TitleURL: "https://developer.x.com/en/docs/twitter-api/v1/rate-limits", Text: "Returned by version 1 of the Twitter Search and Trends API when the client is being rate limited.",
			Fields: []bot.Field{{Name: "Class", Value: "4xx: Client error responses (400-499)"}},
			Note:   "Unofficial: not in the IANA registry. Used by Twitter.", Tone: bot.ToneUnofficial,
			Links: []bot.Link{{Label: "Source", URL: "https://developer.x.com/en/docs/twitter-api/v1/rate-limits"}},
		},
		"class": {
			Result: bot.Result{Query: "3xx", Kind: bot.KindClass, Class: 3, Codes: []int{301, 308}}, Title: "3xx: Redirection messages",
			Text: "Redirection messages (300-399): further action needs to be taken by the client to complete the request.",
			Items: []bot.Item{{Code: 301, Label: "301 Moved Permanently", Detail: "The resource has a new permanent URL."},
				{Code: 308, Label: "308 Permanent Redirect", Detail: "Like 301, but the method and body must not change."}},
			Tone: 3,
		},
		"compare": {
			Result: bot.Result{Query: "401 vs 403", Kind: bot.KindCompare, Codes: []int{401, 403}}, Title: "401 vs 403: Unauthorized vs Forbidden",
			Text: "401 means the request lacks valid credentials; 403 means the credentials are fine but not enough.",
			Fields: []bot.Field{{Name: "401 Unauthorized", Value: "Authentication is required.", Inline: true},
				{Name: "403 Forbidden", Value: "", Inline: true}},
			Links: []bot.Link{{Label: "401 docs", URL: "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Status/401"}, {Label: "403 docs", URL: "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Status/403"}},
		},
		"help": {
			Result: bot.Result{Query: "help", Kind: bot.KindHelp}, Title: "statusbot: HTTP status codes, explained", Private: true,
			Text:  "Ask about any HTTP status code by number, name or plain question.",
			Items: []bot.Item{{Label: "429", Detail: "look up a code by number"}, {Label: "401 vs 403", Detail: "compare codes side by side"}},
		},
		"not_found_hostile": {
			Result: bot.Result{Query: "@everyone **hi** <@123>", Kind: bot.KindNotFound, Suggestions: []int{404, 410}}, Private: true,
			Title:   "No status code matches that",
			Text:    "Nothing in the catalogue matches “@everyone **hi** <@123> [x](https://evil.example)”. Perhaps one of these?",
			Choices: []bot.Choice{{Code: 404, Label: "404 Not Found"}, {Code: 410, Label: "410 Gone"}},
		},
	}
	for name, a := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(Message(a), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("render of %s differs from %s (run with -update if intended):\n%s", name, path, got)
			}
			checkMessage(t, name, Message(a))
		})
	}
}

func TestChoices(t *testing.T) {
	t.Parallel()
	b := newTestBot(t, bot.ImagesNone)
	inputs := append([]string{"4", "40", "zz", "401 vs 403", "4xx", "help", strings.Repeat("x", 150)}, limitQueries...)
	for _, c := range b.Catalog().Codes() {
		inputs = append(inputs, strconv.Itoa(c.Code), c.Phrase)
	}
	for _, in := range inputs {
		checkChoices(t, in, Choices(b, in))
	}
	// A code by number: that code first, named in full, valued as its number.
	cs := Choices(b, "429")
	if len(cs) == 0 || cs[0].Name != "429 Too Many Requests" || cs[0].Value != "429" {
		t.Errorf("Choices(429) = %v, want 429 Too Many Requests first", choiceNames(cs))
	}
	// An empty field: the 25 most asked codes, most asked first.
	cs = Choices(b, "")
	if len(cs) != min(25, len(b.Catalog().Codes())) {
		t.Fatalf("Choices(\"\"): %d choices, want 25", len(cs))
	}
	prev := 101
	for _, c := range cs {
		n, _ := strconv.Atoi(c.Value.(string))
		p := b.Catalog().Code(n).Popularity
		if p > prev {
			t.Errorf("Choices(\"\") not by popularity: %v", choiceNames(cs))
		}
		prev = p
	}
	// One or two digits: codes that start with them, not the fragment.
	for _, prefix := range []string{"4", "42", " 5"} {
		cs := Choices(b, prefix)
		if len(cs) == 0 {
			t.Errorf("Choices(%q): none", prefix)
		}
		for _, c := range cs {
			if !strings.HasPrefix(c.Value.(string), strings.TrimSpace(prefix)) {
				t.Errorf("Choices(%q) offers %s=%v", prefix, c.Name, c.Value)
			}
		}
	}
	// What the core does not answer with one code keeps the typed text first.
	if cs := Choices(b, "zzqxj"); len(cs) == 0 || cs[0].Value != "zzqxj" {
		t.Errorf("Choices(zzqxj) = %v, want the typed text first", choiceNames(cs))
	}
	if cs := Choices(b, strings.Repeat("x", 150)); len(cs) != 0 && cs[0].Value == strings.Repeat("x", 150) {
		t.Errorf("Choices offered a 150-character value")
	}
}

func choiceNames(cs []*discordgo.ApplicationCommandOptionChoice) []string {
	var ns []string
	for _, c := range cs {
		ns = append(ns, fmt.Sprintf("%s=%v", c.Name, c.Value))
	}
	return ns
}

func TestCustomID(t *testing.T) {
	for _, n := range []int{100, 429, 599} {
		got, ok := parseCustomID(CustomID(n))
		if !ok || got != n {
			t.Errorf("parseCustomID(CustomID(%d)) = %d, %v", n, got, ok)
		}
	}
	for _, id := range []string{"", "statusbot:code:", "statusbot:code:abc", "statusbot:code:-1", "statusbot:code:99999999999999999999", "other:429"} {
		if n, ok := parseCustomID(id); ok {
			t.Errorf("parseCustomID(%q) = %d, true; want false", id, n)
		}
	}
}

func TestDefaultAPIURL(t *testing.T) {
	if DefaultAPIURL != discordgo.EndpointAPI {
		t.Errorf("DefaultAPIURL = %q, discordgo speaks %q", DefaultAPIURL, discordgo.EndpointAPI)
	}
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
