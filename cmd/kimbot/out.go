package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// writeOut runs write on stdout, or on the file at path when it is set;
// a file half written by a failure is removed, so a report on disk is
// always whole.
func writeOut(app *cliApp, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(app.stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return usagef("--out: %v", err)
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return errors.Join(err, os.Remove(path))
	}
	fmt.Fprintf(app.stderr, "wrote %s\n", path)
	return nil
}
