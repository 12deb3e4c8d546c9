package org.fedlink.cli.config;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code fedlink researcher --config F certificate ...}: the researcher's MPC certificate and the
 * parties registered in its database.
 */
@Command(
    name = "researcher",
    mixinStandardHelpOptions = true,
    description = "Administer the researcher component (its certificate and registered parties).",
    subcommands = {CertificateCommand.class})
public final class ResearcherCommand {
  @Mixin ConfigOption config = new ConfigOption();
}
