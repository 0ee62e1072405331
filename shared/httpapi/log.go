package httpapi

import (
	"io"
	"log/slog"
	"os"
	"strings"
)

// NewLogger returns the JSON logger of a function. Lambda's JSON log format
// picks the level and message from it. Never pass personal data (names,
// emails, phone numbers, tokens) to it: log IDs.
func NewLogger(w io.Writer) *slog.Logger {
	if w == nil {
		w = os.Stdout
	}
	level := slog.LevelInfo
	switch strings.ToUpper(os.Getenv("AWS_LAMBDA_LOG_LEVEL")) {
	case "DEBUG", "TRACE":
		level = slog.LevelDebug
	case "WARN":
		level = slog.LevelWarn
	case "ERROR", "FATAL":
		level = slog.LevelError
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}
