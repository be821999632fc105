package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// Config is statusbot's whole configuration. Every key has a default (see
// defaults) and can be overridden by STATUSBOT_<KEY> with dots as underscores.
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

// defaults lists every key with its default value; keys not listed here are
// not read from the environment by viper's Unmarshal.
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

// loadConfig reads path (if it exists; "" means ./config.yaml when present)
// and the STATUSBOT_* environment, looked up through getenv.
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
	}
	// Bind through getenv rather than AutomaticEnv so tests can pass an
	// environment without touching the process's.
	for k := range defaults {
		if val := getenv(envName(k)); val != "" {
			v.Set(k, val)
		}
	}
	var cfg Config
	if err := v.Unmarshal(&cfg); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return &cfg, nil
}
