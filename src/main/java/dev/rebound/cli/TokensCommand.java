package dev.rebound.cli;

import picocli.CommandLine.Command;

/** {@code rebound tokens …}: API bearer tokens. */
@Command(
    name = "tokens",
    description = "Issue and revoke API bearer tokens.",
    subcommands = {TokensIssueCommand.class, TokensRevokeCommand.class})
final class TokensCommand extends GroupCommand {}
