package io.hepstack.proto.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link NettyLeaks} when the JUnit launcher session opens, before any test class (and so any Netty
 * class) is loaded. Registered in {@code META-INF/services}, so every module whose tests have common-proto's
 * test-jar on their class path gets it.
 */
public final class NettyLeakDetection implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NettyLeaks.install();
    }
}
