'use client';

import { useEffect, useRef } from 'react';
import { PLATFORM_LABELS } from '@/lib/devices/schemas';
import type { RegisteredDeviceView } from './actions';

/**
 * The one time the device credential is shown: as text to copy and as a QR code to scan. Focus moves
 * to the heading so screen readers announce the outcome.
 */
export function RegisteredDevice({ device }: { device: RegisteredDeviceView }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="registered-heading">
      <h2 id="registered-heading" ref={heading} tabIndex={-1}>
        Device registered
      </h2>
      <p>
        <strong>{device.deviceName}</strong> ({PLATFORM_LABELS[device.platform]}) is registered to <strong>{device.email}</strong>.
      </p>
      <div className="alert warn">
        <strong>Copy the credential now: it won’t be shown again.</strong> Onramp keeps only a fingerprint of it. If you lose it,
        ask your administrator for a new registration code.
      </div>
      <div className="field">
        <label htmlFor="device-credential">Device credential</label>
        <span className="hint" id="device-credential-hint">
          Select it and copy it (Ctrl+C, or ⌘C on a Mac), then paste it into your VPN client.
        </span>
        <input
          id="device-credential"
          type="text"
          readOnly
          value={device.credential}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="device-credential-hint"
          onFocus={(event) => event.currentTarget.select()}
          style={{ fontFamily: 'ui-monospace, monospace' }}
        />
      </div>
      {device.qrSvg ? (
        <figure style={{ margin: '1rem 0' }}>
          {/* Our own markup, checked by renderCredentialQr: only the QR code's paths, never the credential text. */}
          <div dangerouslySetInnerHTML={{ __html: device.qrSvg }} />
          <figcaption className="muted">
            On a phone or tablet, scan this QR code with the VPN app instead of typing. It holds the same credential as the
            field above.
          </figcaption>
        </figure>
      ) : (
        <p className="muted">The QR code could not be drawn; copy the credential above instead.</p>
      )}
      <p>
        You can see and revoke your devices after you <a href="/login">sign in to the portal</a>. Another device?{' '}
        <a href="/register">Register another device</a> with its own code.
      </p>
    </section>
  );
}
