import type { DeviceSummary } from '@/lib/devices/list-devices';
import { PLATFORM_LABELS } from '@/lib/devices/schemas';
import { RevokeDeviceButton } from './revoke-device-button';

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

function When({ at, withTime }: { at: Date; withTime?: boolean }) {
  return <time dateTime={at.toISOString()}>{withTime ? `${dateTimeFormat.format(at)} UTC` : dateFormat.format(at)}</time>;
}

/** The user's working devices, each with its own Revoke button. */
export function DeviceList({ devices }: { devices: DeviceSummary[] }) {
  if (devices.length === 0) {
    return <p className="muted">No devices registered yet. Devices you register with a registration code appear here.</p>;
  }
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">Your registered devices</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Platform</th>
            <th scope="col">Registered</th>
            <th scope="col">Last seen</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id}>
              <td id={`device-${d.id}`}>{d.name}</td>
              <td>{PLATFORM_LABELS[d.platform]}</td>
              <td>
                <When at={d.registeredAt} />
              </td>
              <td>{d.lastSeenAt ? <When at={d.lastSeenAt} withTime /> : 'Never'}</td>
              <td>
                <RevokeDeviceButton deviceId={d.id} deviceName={d.name} describedBy={`device-${d.id}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
