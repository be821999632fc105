package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// runArgs runs the command line in-process with vars as the whole
// environment and returns run's error.
func runArgs(t *testing.T, vars map[string]string, args ...string) error {
	t.Helper()
	e := &env{
		stdin: strings.NewReader(""), stdout: newSyncBuffer(), stderr: newSyncBuffer(),
		getenv:    func(k string) string { return vars[k] },
		platforms: nil,
	}
	return e.execute(t.Context(), args)
}

func TestConfigErrorsExitTwo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	unknownKey := filepath.Join(dir, "typo.yaml")
	if err := os.WriteFile(unknownKey, []byte("discord:\n  shard_cont: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const secretKey = "SECRET-not-a-public-key"
	secretInFile := filepath.Join(dir, "secret.yaml")
	if err := os.WriteFile(secretInFile, []byte("slack:\n  mode: http\n  bot_token: "+secretKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	emptySecretInFile := filepath.Join(dir, "empty-secret.yaml")
	if err := os.WriteFile(emptySecretInFile, []byte("slack:\n  bot_token: \"\"\n  mode: rtm\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		vars map[string]string
		want string
	}{
		{"shard id not below shard count", nil,
			map[string]string{"STATUSBOT_DISCORD_SHARD_ID": "2", "STATUSBOT_DISCORD_SHARD_COUNT": "2"},
			`config: discord.shard_id (STATUSBOT_DISCORD_SHARD_ID): must be at least 0 and below discord.shard_count (2); got 2`},
		{"negative shard id", nil,
			map[string]string{"STATUSBOT_DISCORD_SHARD_ID": "-1"},
			`config: discord.shard_id (STATUSBOT_DISCORD_SHARD_ID): must be at least 0 and below discord.shard_count (1); got -1`},
		{"no shards", nil,
			map[string]string{"STATUSBOT_DISCORD_SHARD_COUNT": "0"},
			`config: discord.shard_count (STATUSBOT_DISCORD_SHARD_COUNT): must be at least 1; got 0`},
		{"shard count not a number", nil,
			map[string]string{"STATUSBOT_DISCORD_SHARD_COUNT": "two"},
			`config: discord.shard_count (STATUSBOT_DISCORD_SHARD_COUNT): invalid integer "two"`},
		{"socket mode without app token", nil,
			map[string]string{"STATUSBOT_SLACK_BOT_TOKEN": "xoxb-1"},
			`config: slack.app_token (STATUSBOT_SLACK_APP_TOKEN): Socket Mode (slack.mode socket) needs the app-level token (xapp-...) as well as slack.bot_token`},
		{"http mode without signing secret", nil,
			map[string]string{"STATUSBOT_SLACK_BOT_TOKEN": "xoxb-1", "STATUSBOT_SLACK_MODE": "http"},
			`config: slack.signing_secret (STATUSBOT_SLACK_SIGNING_SECRET): HTTP mode (slack.mode http) needs the app's signing secret as well as slack.bot_token`},
		{"unknown slack mode", nil,
			map[string]string{"STATUSBOT_SLACK_MODE": "rtm"},
			`config: slack.mode (STATUSBOT_SLACK_MODE): unknown mode "rtm" (want socket or http)`},
		{"unparsable duration", nil,
			map[string]string{"STATUSBOT_HTTP_IDLE_TIMEOUT": "soon"},
			`config: http.idle_timeout (STATUSBOT_HTTP_IDLE_TIMEOUT): invalid duration "soon"`},
		{"zero timeout", nil,
			map[string]string{"STATUSBOT_HTTP_SHUTDOWN_TIMEOUT": "0s"},
			`config: http.shutdown_timeout (STATUSBOT_HTTP_SHUTDOWN_TIMEOUT): must be positive; got 0s`},
		{"log format", nil,
			map[string]string{"STATUSBOT_LOG_FORMAT": "yaml"},
			`config: log.format (STATUSBOT_LOG_FORMAT): must be text or json; got "yaml"`},
		{"log level", nil,
			map[string]string{"STATUSBOT_LOG_LEVEL": "verbose"},
			`config: log.level (STATUSBOT_LOG_LEVEL): must be debug, info, warn or error; got "verbose"`},
		{"images", nil,
			map[string]string{"STATUSBOT_IMAGES": "fish"},
			`config: images (STATUSBOT_IMAGES): must be none, cat or dog; got "fish"`},
		{"negative rate limit", nil,
			map[string]string{"STATUSBOT_RATELIMIT_USER_QUERIES": "-1"},
			`config: ratelimit.user_queries (STATUSBOT_RATELIMIT_USER_QUERIES): must not be negative; got -1`},
		{"negative rate window", nil,
			map[string]string{"STATUSBOT_RATELIMIT_CHANNEL_WINDOW": "-10s"},
			`config: ratelimit.channel_window (STATUSBOT_RATELIMIT_CHANNEL_WINDOW): must be positive; got -10s`},
		{"address without port", nil,
			map[string]string{"STATUSBOT_HTTP_ADDR": "localhost"},
			`config: http.addr (STATUSBOT_HTTP_ADDR): invalid address "localhost" (want host:port, e.g. :8080 or 127.0.0.1:8080)`},
		{"address with a named port", nil,
			map[string]string{"STATUSBOT_HTTP_ADDR": ":http"},
			`config: http.addr (STATUSBOT_HTTP_ADDR): invalid address ":http" (want host:port, e.g. :8080 or 127.0.0.1:8080)`},
		{"boolean", nil,
			map[string]string{"STATUSBOT_DISCORD_MESSAGE_COMMANDS": "maybe"},
			`config: discord.message_commands (STATUSBOT_DISCORD_MESSAGE_COMMANDS): invalid boolean "maybe" (want true or false)`},
		{"api url", nil,
			map[string]string{"STATUSBOT_SLACK_API_URL": "slack.com/api/"},
			`config: slack.api_url (STATUSBOT_SLACK_API_URL): invalid URL "slack.com/api/" (want an absolute http or https URL)`},
		{"public key, not echoed", nil,
			map[string]string{"STATUSBOT_DISCORD_PUBLIC_KEY": secretKey},
			`config: discord.public_key (STATUSBOT_DISCORD_PUBLIC_KEY): must be 64 hex digits (the application's public key)`},
		{"secret left as the template's placeholder", nil,
			map[string]string{"STATUSBOT_SLACK_SIGNING_SECRET": "REPLACE-ME"},
			`config: slack.signing_secret (STATUSBOT_SLACK_SIGNING_SECRET): still the placeholder REPLACE-ME from deploy/kubernetes/secret.yaml: set the real value or delete the entry`},
		{"redis url malformed", nil,
			map[string]string{"STATUSBOT_STATE_REDIS_URL": "redis://redis:port/0"},
			`config: state.redis_url (STATUSBOT_STATE_REDIS_URL): not a URL: invalid port ":port" after host (want redis://host:6379/0, or rediss:// for TLS; the password in STATUSBOT_STATE_REDIS_PASSWORD)`},
		{"redis url of another scheme", nil,
			map[string]string{"STATUSBOT_STATE_REDIS_URL": "http://redis:6379"},
			`config: state.redis_url (STATUSBOT_STATE_REDIS_URL): scheme must be redis, rediss (TLS) or unix; got "http"`},
		{"redis url carrying a password, not echoed", nil,
			map[string]string{"STATUSBOT_STATE_REDIS_URL": "redis://:" + secretKey + "@redis:6379/0"},
			`config: state.redis_url (STATUSBOT_STATE_REDIS_URL): carries a password: give it as a secret in the environment instead`},
		{"unknown key in the file", []string{"--config", unknownKey}, nil,
			`config: ` + unknownKey + `: unknown key discord.shard_cont`},
		{"secret in the config file", []string{"--config", secretInFile}, nil,
			`config: slack.bot_token (STATUSBOT_SLACK_BOT_TOKEN): is a secret and may not be in a config file (` + secretInFile + `): set STATUSBOT_SLACK_BOT_TOKEN in the environment instead`},
		{"secret in the config file, set in the environment too", []string{"--config", secretInFile},
			map[string]string{"STATUSBOT_SLACK_BOT_TOKEN": "xoxb-from-env"},
			`config: slack.bot_token (STATUSBOT_SLACK_BOT_TOKEN): is a secret and may not be in a config file`},
		{"an empty secret key in a file holds no secret", []string{"--config", emptySecretInFile}, nil,
			`config: slack.mode (STATUSBOT_SLACK_MODE): unknown mode "rtm"`},
		{"ask refuses a secret in the file too", []string{"ask", "--config", secretInFile, "404"}, nil,
			`config: slack.bot_token (STATUSBOT_SLACK_BOT_TOKEN): is a secret and may not be in a config file`},
		{"ops on the public address", nil,
			map[string]string{"STATUSBOT_HTTP_ADDR": ":8080", "STATUSBOT_HTTP_OPS_ADDR": ":8080"},
			`config: http.ops_addr (STATUSBOT_HTTP_OPS_ADDR): must differ from http.addr (:8080); leave it empty to serve both on http.addr`},
		{"ops address without port", nil,
			map[string]string{"STATUSBOT_HTTP_OPS_ADDR": "localhost"},
			`config: http.ops_addr (STATUSBOT_HTTP_OPS_ADDR): invalid address "localhost"`},
		{"no requests in flight", nil,
			map[string]string{"STATUSBOT_HTTP_MAX_INFLIGHT": "0"},
			`config: http.max_inflight (STATUSBOT_HTTP_MAX_INFLIGHT): must be at least 1; got 0`},
		{"missing config file", []string{"--config", filepath.Join(dir, "absent.yaml")}, nil,
			`config: read ` + filepath.Join(dir, "absent.yaml")},
		{"ask validates too", []string{"ask", "404"},
			map[string]string{"STATUSBOT_SLACK_MODE": "rtm"},
			`config: slack.mode (STATUSBOT_SLACK_MODE): unknown mode "rtm" (want socket or http)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := tt.args
			if len(args) == 0 || args[0] != "ask" {
				args = append([]string{"run"}, args...)
			}
			vars := map[string]string{"STATUSBOT_HTTP_ADDR": "127.0.0.1:0"}
			for k, v := range tt.vars {
				vars[k] = v
			}
			err := runArgs(t, vars, args...)
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != 2 {
				t.Fatalf("run %v = %v, want an exit status 2 error", args, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.want) {
				t.Errorf("error = %q\nwant  %q", msg, tt.want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
			if strings.Contains(msg, secretKey) {
				t.Errorf("error quotes the secret: %q", msg)
			}
		})
	}
}

func TestDefaultsCoverConfig(t *testing.T) {
	t.Parallel()
	var keys []string
	for _, f := range new(Config).fields() {
		keys = append(keys, f.key)
		if _, ok := defaults[f.key]; !ok {
			t.Errorf("Config field %s has no entry in defaults", f.key)
		}
	}
	for k := range defaults {
		if !slices.Contains(keys, k) {
			t.Errorf("defaults has %s, which no Config field reads", k)
		}
	}
	cfg, err := loadConfig("", func(string) string { return "" })
	if err != nil {
		t.Fatalf("the defaults do not load: %v", err)
	}
	if cfg.HTTP.ShutdownTimeout.String() != "10s" || cfg.Discord.ShardCount != 1 || cfg.Slack.Mode != "socket" {
		t.Errorf("defaults decoded wrong: %v", cfg)
	}
}

// TestAdapterSettingsHaveKeys: every setting of an adapter's Config (its
// string, int and bool fields) has a key of the same name, and settings()
// carries each key's value to it. So a key always reaches its setting, and
// an adapter's refusal of a setting always names a key.
func TestAdapterSettingsHaveKeys(t *testing.T) {
	t.Parallel()
	var c Config
	for i, f := range c.fields() { // a distinct value for every key
		switch f.value.Kind() {
		case reflect.String:
			f.value.SetString(fmt.Sprint("v", i))
		case reflect.Int, reflect.Int64:
			f.value.SetInt(int64(1000 + i))
		case reflect.Bool:
			f.value.SetBool(true)
		}
	}
	for _, tt := range []struct {
		section  string
		settings any
	}{
		{"Discord", c.Discord.settings()},
		{"Slack", c.Slack.settings()},
	} {
		got := reflect.ValueOf(tt.settings)
		n := 0
		for i := range got.NumField() {
			name := got.Type().Field(i).Name
			switch got.Field(i).Kind() {
			case reflect.String, reflect.Int, reflect.Bool:
			default:
				continue // a dependency, not a setting
			}
			n++
			path := tt.section + "." + name
			var want reflect.Value
			for _, f := range c.fields() {
				if f.path == path {
					want = f.value
				}
			}
			if !want.IsValid() {
				t.Errorf("%s has no key", path)
				continue
			}
			if !reflect.DeepEqual(got.Field(i).Interface(), want.Interface()) {
				t.Errorf("%s: settings() gives %v, the key %s holds %v", path, got.Field(i), c.keyOf(path), want)
			}
		}
		if n < 5 {
			t.Errorf("%s: only %d settings found", tt.section, n)
		}
	}
}

// docLine matches a key line of config.yaml, commented out or not:
// indentation, key, and the rest of the line.
var docLine = regexp.MustCompile(`^(\s*)(?:#\s*)?([a-z_]+):(.*)$`)

func TestConfigYAMLDocumentsEveryKey(t *testing.T) {
	t.Parallel()
	const path = "../../config.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]string{} // key -> its line
	section := ""
	for line := range strings.Lines(string(data)) {
		m := docLine.FindStringSubmatch(strings.TrimRight(line, "\n"))
		if m == nil {
			continue
		}
		indent, key := m[1], m[2]
		commented := strings.HasPrefix(strings.TrimSpace(line), "#")
		switch {
		case indent == "" && commented:
			continue // prose in the header
		case indent == "":
			section = ""
			if v := strings.TrimSpace(strings.SplitN(m[3], "#", 2)[0]); v == "" {
				section = key
				continue
			}
		}
		full := key
		if section != "" {
			full = section + "." + key
		}
		if _, seen := lines[full]; !seen {
			lines[full] = line
		}
	}
	for k := range defaults {
		line, ok := lines[k]
		if !ok {
			t.Errorf("config.yaml does not document %s", k)
			continue
		}
		if !strings.Contains(line, envName(k)) {
			t.Errorf("config.yaml's line for %s does not name %s: %q", k, envName(k), line)
		}
	}
	// The documented values are the defaults: loading the file changes nothing.
	fromFile, err := loadConfig(path, func(string) string { return "" })
	if err != nil {
		t.Fatalf("config.yaml does not load: %v", err)
	}
	fromDefaults, err := loadConfig("", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromFile, fromDefaults) {
		t.Errorf("config.yaml's values differ from defaults:\nfile:     %v\ndefaults: %v", fromFile, fromDefaults)
	}
}

func TestConfigYAMLHoldsNoSecrets(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			key := strings.TrimPrefix(prefix+"."+k, ".")
			if sub, ok := v.(map[string]any); ok {
				walk(key, sub)
				continue
			}
			if isSecretKey(key) && v != nil && v != "" {
				t.Errorf("config.yaml sets secret %s: set %s in the environment instead", key, envName(key))
			}
		}
	}
	walk("", doc)
	for _, k := range []string{"discord.token", "discord.public_key", "slack.bot_token", "slack.app_token", "slack.signing_secret"} {
		if !isSecretKey(k) {
			t.Errorf("isSecretKey(%q) = false, want true", k)
		}
	}
	for _, k := range []string{"discord.application_id", "http.addr", "slack.mode", "discord.prefix"} {
		if isSecretKey(k) {
			t.Errorf("isSecretKey(%q) = true, want false", k)
		}
	}
}
