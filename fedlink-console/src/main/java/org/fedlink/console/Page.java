package org.fedlink.console;

/**
 * What every page's layout needs.
 *
 * @param csrf the session's form token, put in every form
 * @param flash a message to show once, or null
 */
public record Page(
    String title, String csrf, boolean loggedIn, String flash, boolean flashIsError, String path) {}
