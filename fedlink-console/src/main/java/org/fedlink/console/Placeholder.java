package org.fedlink.console;

final class Placeholder {}
