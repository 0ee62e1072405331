// Command local runs the whole Espace OSC application on this machine (no AWS
// account, no Docker): the HTTP API with its JWT authorizer, the Lambda functions as
// real bootstrap processes, DynamoDB, S3, SES and the schedules of template.yaml.
//
//	go run ./infra/local [-addr 127.0.0.1:8080] [-data .local] [-reset] [-template template.yaml] [-no-schedules]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"espaceosc/infra/local/cloud"
	"espaceosc/infra/seed"
)

func main() {
	var cfg cloud.Config
	flag.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "gateway listen address")
	flag.StringVar(&cfg.DataDir, "data", "", "data directory (default .local at the repository root)")
	flag.BoolVar(&cfg.Reset, "reset", false, "wipe the data directory first")
	flag.StringVar(&cfg.TemplatePath, "template", "", "SAM template (default template.yaml at the repository root)")
	flag.BoolVar(&cfg.NoSchedules, "no-schedules", false, "do not run the schedules on timers (POST /_local/schedules/{name} still runs them)")
	flag.BoolVar(&cfg.SkipMissing, "skip-missing", false, "start without the functions whose directory does not exist yet")
	flag.IntVar(&cfg.MaxInstances, "max-instances", 10, "warm processes per function at most")
	flag.Parse()
	log.SetFlags(log.Ltime)
	cfg.Out = os.Stdout
	cfg.Seed = seed.Apply // once, on a new (or -reset) data directory

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := cloud.Start(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "local cloud:", err)
		os.Exit(1)
	}
	<-ctx.Done()
	fmt.Println("shutting down")
	if err := c.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "shutdown:", err)
		os.Exit(1)
	}
}
