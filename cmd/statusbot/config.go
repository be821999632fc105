package main

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/viper"

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
}

// HTTPConfig configures the bot's own HTTP server.
type HTTPConfig struct {
	Addr              string        `mapstructure:"addr"`
	ReadHeaderTimeout time.Duration `mapstructure:"read_header_timeout"`
	ReadTimeout       time.Duration `mapstructure:"read_timeout"`
	WriteTimeout      time.Duration `mapstructure:"write_timeout"`
	IdleTimeout       time.Duration `mapstructure:"idle_timeout"`
	ShutdownTimeout   time.Duration `mapstructure:"shutdown_timeout"`
}

// LogConfig configures logging.
type LogConfig struct {
	Format string `mapstructure:"format"` // text or json
	Level  string `mapstructure:"level"`  // debug, info, warn, error
}

// DiscordConfig configures the Discord adapter.
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

// SlackConfig configures the Slack adapter.
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

// limits converts the configured abuse limits for the limits store.
func (r RateLimitConfig) limits() state.LimitConfig {
	return state.LimitConfig{
		UserQueries:    r.UserQueries,
		UserWindow:     r.UserWindow,
		ChannelQueries: r.ChannelQueries,
		ChannelWindow:  r.ChannelWindow,
	}
}

// defaults lists every key with its default value. config.yaml documents
// each of them (a test keeps the two in step).
var defaults = map[string]any{
	"images":                    "none",
	"http.addr":                 "127.0.0.1:8080",
	"http.read_header_timeout":  "5s",
	"http.read_timeout":         "10s",
	"http.write_timeout":        "10s",
	"http.idle_timeout":         "60s",
	"http.shutdown_timeout":     "10s",
	"log.format":                "text",
	"log.level":                 "info",
	"discord.token":             "",
	"discord.application_id":    "",
	"discord.public_key":        "",
	"discord.api_url":           "https://discord.com/api/v9/",
	"discord.prefix":            "!http",
	"discord.message_commands":  false,
	"discord.shard_id":          0,
	"discord.shard_count":       1,
	"slack.bot_token":           "",
	"slack.app_token":           "",
	"slack.signing_secret":      "",
	"slack.mode":                "socket",
	"slack.api_url":             "https://slack.com/api/",
	"ratelimit.user_queries":    5,
	"ratelimit.user_window":     "10s",
	"ratelimit.channel_queries": 20,
	"ratelimit.channel_window":  "10s",
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

// configField is one leaf of Config: its key and its (settable) value.
type configField struct {
	key   string
	value reflect.Value
}

// fields lists every leaf of c in struct order, keyed as in defaults.
func (c *Config) fields() []configField {
	var fs []configField
	var walk func(prefix string, rv reflect.Value)
	walk = func(prefix string, rv reflect.Value) {
		for i := range rv.NumField() {
			key := rv.Type().Field(i).Tag.Get("mapstructure")
			if prefix != "" {
				key = prefix + "." + key
			}
			if fv := rv.Field(i); fv.Kind() == reflect.Struct {
				walk(key, fv)
			} else {
				fs = append(fs, configField{key, fv})
			}
		}
	}
	walk("", reflect.ValueOf(c).Elem())
	return fs
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
	notNegative := func(key string, n int) error {
		if n >= 0 {
			return nil
		}
		return badKey(key, "must not be negative; got %d", n)
	}
	absURL := func(key, s string) error {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return badKey(key, "invalid URL %q (want an absolute http or https URL)", s)
		}
		return nil
	}
	checks := []func() error{
		func() error { return oneOf("images", c.Images, "none", "cat", "dog") },
		func() error { return checkAddr("http.addr", c.HTTP.Addr) },
		func() error { return positive("http.read_header_timeout", c.HTTP.ReadHeaderTimeout) },
		func() error { return positive("http.read_timeout", c.HTTP.ReadTimeout) },
		func() error { return positive("http.write_timeout", c.HTTP.WriteTimeout) },
		func() error { return positive("http.idle_timeout", c.HTTP.IdleTimeout) },
		func() error { return positive("http.shutdown_timeout", c.HTTP.ShutdownTimeout) },
		func() error { return oneOf("log.format", c.Log.Format, "text", "json") },
		func() error {
			return oneOf("log.level", strings.ToLower(c.Log.Level), "debug", "info", "warn", "error")
		},
		func() error {
			if c.Discord.ApplicationID != "" && !allDigits(c.Discord.ApplicationID) {
				return badKey("discord.application_id", "must be a numeric Discord ID; got %q", c.Discord.ApplicationID)
			}
			return nil
		},
		func() error {
			if k := c.Discord.PublicKey; k != "" && (len(k) != 64 || !isHex(k)) {
				return badKey("discord.public_key", "must be 64 hex digits (the application's public key)")
			}
			return nil
		},
		func() error { return absURL("discord.api_url", c.Discord.APIURL) },
		func() error {
			if c.Discord.ShardCount < 1 {
				return badKey("discord.shard_count", "must be at least 1; got %d", c.Discord.ShardCount)
			}
			return nil
		},
		func() error {
			if id := c.Discord.ShardID; id < 0 || id >= c.Discord.ShardCount {
				return badKey("discord.shard_id", "must be at least 0 and below discord.shard_count (%d); got %d", c.Discord.ShardCount, id)
			}
			return nil
		},
		func() error {
			if c.Slack.Mode != "socket" && c.Slack.Mode != "http" {
				return badKey("slack.mode", "unknown mode %q (want socket or http)", c.Slack.Mode)
			}
			return nil
		},
		func() error {
			if c.Slack.BotToken != "" && c.Slack.Mode == "socket" && c.Slack.AppToken == "" {
				return badKey("slack.app_token", "Socket Mode (slack.mode socket) needs the app-level token (xapp-...) as well as slack.bot_token")
			}
			return nil
		},
		func() error {
			if c.Slack.BotToken != "" && c.Slack.Mode == "http" && c.Slack.SigningSecret == "" {
				return badKey("slack.signing_secret", "HTTP mode (slack.mode http) needs the app's signing secret as well as slack.bot_token")
			}
			return nil
		},
		func() error { return absURL("slack.api_url", c.Slack.APIURL) },
		func() error { return notNegative("ratelimit.user_queries", c.RateLimit.UserQueries) },
		func() error { return positive("ratelimit.user_window", c.RateLimit.UserWindow) },
		func() error { return notNegative("ratelimit.channel_queries", c.RateLimit.ChannelQueries) },
		func() error { return positive("ratelimit.channel_window", c.RateLimit.ChannelWindow) },
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

func orList(ws []string) string {
	if len(ws) == 1 {
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func isHex(s string) bool {
	return strings.Trim(s, "0123456789abcdefABCDEF") == ""
}
