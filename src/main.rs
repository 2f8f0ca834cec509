//! `descend`: watch gradient descent roll down a loss surface, or make the figures and
//! tables a course asks for.
//!
//! With no command it opens the app on the bowl, where plain descent races momentum. Every
//! command is listed here; their work lives in `cli`.

mod cli;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return cli::usage_error(error),
    };
    let outcome = match cli.command.unwrap_or_default() {
        Command::App(args) => cli::window::open(args),
        Command::Screenshot(args) => cli::window::screenshot(args),
        Command::Plot(args) => cli::commands::plot(args),
        Command::Run(args) => cli::commands::run(args),
        Command::Sweep(args) => cli::commands::sweep(args),
    };
    cli::finish(outcome)
}
