package main

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/viper"

	"github.com/statusbot/statusbot/adapters/discord"
	"github.com/statusbot/statusbot/adapters/relay"
	slackadapter "github.com/statusbot/statusbot/adapters/slack"
	"github.com/statusbot/statusbot/state"
)

// Config is statusbot's whole configuration. Every key has a default (see
// defaults) and can be overridden by STATUSBOT_<KEY> with dots as underscores.
// Keys whose last part names a token, secret or key are secrets: they come
// from the environment and are never logged (see isSecretKey).
type Config struct {
	Images string     `mapstructure:"images"`
	HTTP   HTTPConfig `mapstructure:"http"`
	Log    LogConfig  `mapstructure:"log"`

	Discord   DiscordConfig   `mapstructure:"discord"`
	Slack     SlackConfig     `mapstructure:"slack"`
	RateLimit RateLimitConfig `mapstructure:"ratelimit"`
	State     StateConfig     `mapstructure:"state"`
}

// HTTPConfig configures the bot's own HTTP server.
type HTTPConfig struct {
	Addr              string        `mapstructure:"addr"`
	ReadHeaderTimeout time.Duration `mapstructure:"read_header_timeout"`
	ReadTimeout       time.Duration `mapstructure:"read_timeout"`
	WriteTimeout      time.Duration `mapstructure:"write_timeout"`
	IdleTimeout       time.Duration `mapstructure:"idle_timeout"`
	ShutdownTimeout   time.Duration `mapstructure:"shutdown_timeout"`
	MaxInflight       int           `mapstructure:"max_inflight"`
	OpsAddr           string        `mapstructure:"ops_addr"`
}

// LogConfig configures logging.
type LogConfig struct {
	Format string `mapstructure:"format"` // text or json
	Level  string `mapstructure:"level"`  // debug, info, warn, error
}

// DiscordConfig holds the discord.* keys, which map onto the adapter's
// settings of the same names (see DiscordConfig.settings).
type DiscordConfig struct {
	Token           string `mapstructure:"token"`
	ApplicationID   string `mapstructure:"application_id"`
	PublicKey       string `mapstructure:"public_key"`
	APIURL          string `mapstructure:"api_url"`
	Prefix          string `mapstructure:"prefix"`
	MessageCommands bool   `mapstructure:"message_commands"`
	ShardID         int    `mapstructure:"shard_id"`
	ShardCount      int    `mapstructure:"shard_count"`
}

// SlackConfig holds the slack.* keys, which map onto the adapter's settings
// of the same names (see SlackConfig.settings).
type SlackConfig struct {
	BotToken      string `mapstructure:"bot_token"`
	AppToken      string `mapstructure:"app_token"`
	SigningSecret string `mapstructure:"signing_secret"`
	Mode          string `mapstructure:"mode"` // socket or http
	APIURL        string `mapstructure:"api_url"`
}

// RateLimitConfig configures the abuse limits.
type RateLimitConfig struct {
	UserQueries    int           `mapstructure:"user_queries"`
	UserWindow     time.Duration `mapstructure:"user_window"`
	ChannelQueries int           `mapstructure:"channel_queries"`
	ChannelWindow  time.Duration `mapstructure:"channel_window"`
}

// StateConfig says where the abuse limits and the record of events
// answered live: in this process's memory (RedisURL empty), or on a Redis
// server every replica shares.
type StateConfig struct {
	RedisURL      string `mapstructure:"redis_url"`
	RedisPassword string `mapstructure:"redis_password"` // a secret: from the environment
}

// limits converts the configured abuse limits for the limits store.
func (r RateLimitConfig) limits() state.LimitConfig {
	return state.LimitConfig{
		UserQueries:    r.UserQueries,
		UserWindow:     r.UserWindow,
		ChannelQueries: r.ChannelQueries,
		ChannelWindow:  r.ChannelWindow,
	}
}

// defaults lists every key with its default value; a platform's come from
// its adapter. config.yaml documents each of them (a test keeps the two in
// step).
var defaults = map[string]any{
	"images":                    "none",
	"http.addr":                 "127.0.0.1:8080",
	"http.read_header_timeout":  "5s",
	"http.read_timeout":         "10s",
	"http.write_timeout":        "10s",
	"http.idle_timeout":         "60s",
	"http.shutdown_timeout":     "10s",
	"http.max_inflight":         64,
	"http.ops_addr":             "",
	"log.format":                "text",
	"log.level":                 "info",
	"discord.token":             "",
	"discord.application_id":    "",
	"discord.public_key":        "",
	"discord.api_url":           discord.Defaults().APIURL,
	"discord.prefix":            discord.Defaults().Prefix,
	"discord.message_commands":  discord.Defaults().MessageCommands,
	"discord.shard_id":          discord.Defaults().ShardID,
	"discord.shard_count":       discord.Defaults().ShardCount,
	"slack.bot_token":           "",
	"slack.app_token":           "",
	"slack.signing_secret":      "",
	"slack.mode":                slackadapter.Defaults().Mode,
	"slack.api_url":             slackadapter.Defaults().APIURL,
	"ratelimit.user_queries":    5,
	"ratelimit.user_window":     "10s",
	"ratelimit.channel_queries": 20,
	"ratelimit.channel_window":  "10s",
	"state.redis_url":           "",
	"state.redis_password":      "",
}

// envName is the environment variable that overrides key.
func envName(key string) string {
	return "STATUSBOT_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// isSecretKey reports whether key holds a credential: its value must never be
// written to config.yaml, a log line or an error message.
func isSecretKey(key string) bool {
	leaf := strings.ToLower(key[strings.LastIndex(key, ".")+1:])
	for _, w := range []string{"token", "secret", "password", "key"} {
		if strings.Contains(leaf, w) {
			return true
		}
	}
	return false
}

// keyError is a bad configuration value. Its message names the key and the
// environment variable that sets it, on one line.
type keyError struct {
	key string
	msg string
}

func (e *keyError) Error() string {
	return fmt.Sprintf("config: %s (%s): %s", e.key, envName(e.key), e.msg)
}

func badKey(key, format string, args ...any) error {
	return &keyError{key: key, msg: fmt.Sprintf(format, args...)}
}

// loadConfig reads path (if it exists; "" means ./config.yaml when present)
// and the STATUSBOT_* environment, looked up through getenv, and validates
// the result. The first bad value is reported as one line naming its key.
func loadConfig(path string, getenv func(string) string) (*Config, error) {
	v := viper.New()
	for k, d := range defaults {
		v.SetDefault(k, d)
	}
	explicit := path != ""
	if !explicit {
		path = "config.yaml"
	}
	if _, err := os.Stat(path); err == nil || explicit {
		v.SetConfigFile(path)
		if err := v.ReadInConfig(); err != nil {
			return nil, fmt.Errorf("config: read %s: %w", path, err)
		}
		for _, k := range v.AllKeys() {
			if _, ok := defaults[k]; !ok {
				return nil, fmt.Errorf("config: %s: unknown key %s", path, k)
			}
		}
		// A secret in a file ends up in backups, images and repositories:
		// refuse it rather than take it silently. The message names the
		// key, never the value.
		for _, k := range slices.Sorted(maps.Keys(defaults)) {
			if isSecretKey(k) && v.InConfig(k) && strings.TrimSpace(fmt.Sprint(v.Get(k))) != "" {
				return nil, badKey(k, "is a secret and may not be in a config file (%s): set %s in the environment instead", path, envName(k))
			}
		}
	}
	// Bind through getenv rather than AutomaticEnv so tests can pass an
	// environment without touching the process's.
	for k := range defaults {
		if val := getenv(envName(k)); val != "" {
			v.Set(k, val)
		}
	}
	var cfg Config
	if err := decode(v, &cfg); err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

var durationType = reflect.TypeFor[time.Duration]()

// configField is one leaf of Config: its key, its Go path (e.g.
// "Discord.ShardID") and its (settable) value.
type configField struct {
	key   string
	path  string
	value reflect.Value
}

// fields lists every leaf of c in struct order, keyed as in defaults.
func (c *Config) fields() []configField {
	var fs []configField
	var walk func(prefix, path string, rv reflect.Value)
	walk = func(prefix, path string, rv reflect.Value) {
		for i := range rv.NumField() {
			f := rv.Type().Field(i)
			key, p := f.Tag.Get("mapstructure"), f.Name
			if prefix != "" {
				key, p = prefix+"."+key, path+"."+p
			}
			if fv := rv.Field(i); fv.Kind() == reflect.Struct {
				walk(key, p, fv)
			} else {
				fs = append(fs, configField{key, p, fv})
			}
		}
	}
	walk("", "", reflect.ValueOf(c).Elem())
	return fs
}

// keyOf is the key of the field at Go path p, or p when Config has none.
func (c *Config) keyOf(p string) string {
	for _, f := range c.fields() {
		if f.path == p {
			return f.key
		}
	}
	return p
}

// settingError is an adapter's refusal of one of the settings under
// section (the Config field "Discord" or "Slack"), with every setting
// named by its key. Other errors pass unchanged.
func (c *Config) settingError(section string, err error) error {
	var fe *relay.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	key := func(field string) string { return c.keyOf(section + "." + field) }
	return badKey(key(fe.Field), "%s", fe.Describe(key))
}

// decode fills cfg from v key by key, so that a value that does not parse is
// reported with its key (viper's Unmarshal names neither key nor variable).
func decode(v *viper.Viper, cfg *Config) error {
	for _, f := range cfg.fields() {
		key, fv := f.key, f.value
		s := ""
		if raw := v.Get(key); raw != nil {
			s = strings.TrimSpace(fmt.Sprint(raw))
		}
		switch {
		case fv.Type() == durationType:
			d, err := time.ParseDuration(s)
			if err != nil {
				return badKey(key, "invalid duration %q", s)
			}
			fv.SetInt(int64(d))
		case fv.Kind() == reflect.String:
			fv.SetString(s)
		case fv.Kind() == reflect.Bool:
			b, err := strconv.ParseBool(s)
			if err != nil {
				return badKey(key, "invalid boolean %q (want true or false)", s)
			}
			fv.SetBool(b)
		case fv.Kind() == reflect.Int:
			n, err := strconv.Atoi(s)
			if err != nil {
				return badKey(key, "invalid integer %q", s)
			}
			fv.SetInt(int64(n))
		default:
			panic(fmt.Sprintf("config: %s: decode does not handle %s", key, fv.Type()))
		}
	}
	return nil
}

// validate checks every value, in the order of config.yaml, and reports the
// first bad one. Messages never quote a secret's value.
func (c *Config) validate() error {
	oneOf := func(key, got string, want ...string) error {
		if slices.Contains(want, got) {
			return nil
		}
		return badKey(key, "must be %s; got %q", orList(want), got)
	}
	positive := func(key string, d time.Duration) error {
		if d > 0 {
			return nil
		}
		return badKey(key, "must be positive; got %s", d)
	}
	atLeastOne := func(key string, n int) error {
		if n >= 1 {
			return nil
		}
		return badKey(key, "must be at least 1; got %d", n)
	}
	notNegative := func(key string, n int) error {
		if n >= 0 {
			return nil
		}
		return badKey(key, "must not be negative; got %d", n)
	}
	checks := []func() error{
		func() error { return oneOf("images", c.Images, "none", "cat", "dog") },
		func() error { return checkAddr("http.addr", c.HTTP.Addr) },
		func() error { return positive("http.read_header_timeout", c.HTTP.ReadHeaderTimeout) },
		func() error { return positive("http.read_timeout", c.HTTP.ReadTimeout) },
		func() error { return positive("http.write_timeout", c.HTTP.WriteTimeout) },
		func() error { return positive("http.idle_timeout", c.HTTP.IdleTimeout) },
		func() error { return positive("http.shutdown_timeout", c.HTTP.ShutdownTimeout) },
		func() error { return atLeastOne("http.max_inflight", c.HTTP.MaxInflight) },
		func() error {
			switch {
			case c.HTTP.OpsAddr == "":
				return nil
			case c.HTTP.OpsAddr == c.HTTP.Addr && !strings.HasSuffix(c.HTTP.Addr, ":0"):
				return badKey("http.ops_addr", "must differ from http.addr (%s); leave it empty to serve both on http.addr", c.HTTP.Addr)
			}
			return checkAddr("http.ops_addr", c.HTTP.OpsAddr)
		},
		func() error { return oneOf("log.format", c.Log.Format, "text", "json") },
		func() error {
			return oneOf("log.level", strings.ToLower(c.Log.Level), "debug", "info", "warn", "error")
		},
		func() error { return c.settingError("Discord", c.Discord.settings().Validate()) },
		func() error { return c.settingError("Slack", c.Slack.settings().Validate()) },
		func() error { return notNegative("ratelimit.user_queries", c.RateLimit.UserQueries) },
		func() error { return positive("ratelimit.user_window", c.RateLimit.UserWindow) },
		func() error { return notNegative("ratelimit.channel_queries", c.RateLimit.ChannelQueries) },
		func() error { return positive("ratelimit.channel_window", c.RateLimit.ChannelWindow) },
		func() error { return checkRedisURL("state.redis_url", c.State.RedisURL) },
	}
	for _, f := range c.fields() {
		if isSecretKey(f.key) && f.value.String() == secretPlaceholder {
			return badKey(f.key, "still the placeholder %s from deploy/kubernetes/secret.yaml: set the real value or delete the entry", secretPlaceholder)
		}
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// secretPlaceholder stands for each value in the Kubernetes Secret template.
const secretPlaceholder = "REPLACE-ME"

// checkAddr accepts host:port with a numeric port, as net.Listen takes it.
func checkAddr(key, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		if n, perr := strconv.Atoi(port); perr != nil || n < 0 || n > 65535 {
			err = fmt.Errorf("bad port")
		}
	}
	if err != nil {
		return badKey(key, "invalid address %q (want host:port, e.g. :8080 or 127.0.0.1:8080)", addr)
	}
	return nil
}

// checkRedisURL accepts an empty URL (state in memory) or one the Redis
// store can use. The URL is not quoted: it may carry a password by mistake.
func checkRedisURL(key, u string) error {
	if u == "" {
		return nil
	}
	if err := state.CheckRedisURL(u); err != nil {
		return badKey(key, "%v (want redis://host:6379/0, or rediss:// for TLS; the password in %s)", err, envName("state.redis_password"))
	}
	return nil
}

func orList(ws []string) string {
	if len(ws) == 1 {
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}
