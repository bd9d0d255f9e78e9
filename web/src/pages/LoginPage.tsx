import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api/client.ts';
import { Button } from '../components/Button.tsx';
import { Callout } from '../components/Callout.tsx';
import { TextField } from '../components/Field.tsx';
import { BrandMark } from '../components/Icon.tsx';
import { useAuth } from '../lib/auth.tsx';
import { useDocumentTitle } from '../lib/hooks.ts';

export function LoginPage() {
  useDocumentTitle('Log in');
  const { login } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError('Enter your username and password.');
      return;
    }
    setPending(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (failure) {
      setError(errorMessage(failure));
      setPending(false);
    }
  };

  return (
    <div className="login-screen">
      <form className="login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <div className="login-brand">
          <BrandMark className="brand-mark" />
          <div>
            <strong>Sourcesible Activation</strong>
            <span className="muted small">Keep your audiences in sync with Meta</span>
          </div>
        </div>
        <h1 id="login-title" style={{ fontSize: 'var(--text-xl)' }}>
          Log in
        </h1>
        {error && (
          <Callout tone="danger" role="alert">
            {error}
          </Callout>
        )}
        <TextField
          label="Username"
          value={username}
          onChange={setUsername}
          autoComplete="username"
          autoFocus
          name="username"
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          name="password"
        />
        <Button type="submit" variant="primary" pending={pending}>
          Log in
        </Button>
        <p className="faint small">
          The admin account is created on first start. Its password comes from <code>SOURCESIBLE_ADMIN_PASSWORD</code> or is printed once in the server log.
        </p>
      </form>
    </div>
  );
}
