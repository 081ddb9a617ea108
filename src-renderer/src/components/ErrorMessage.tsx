import { Icon } from './Icon';

/** An error from a command, shown with the message the core wrote for people. */
export function ErrorMessage({ title, message }: { title: string; message: string }) {
  return (
    <div className="error-message" role="alert">
      <Icon name="warning" />
      <div>
        <strong>{title}</strong>
        <p>{message}</p>
      </div>
    </div>
  );
}
