import { Field } from "../components/field";

export const MIN_PASSWORD = 10;

/** A new password, typed twice. */
export function NewPassword(props: {
  password: string;
  confirm: string;
  onPassword: (v: string) => void;
  onConfirm: (v: string) => void;
  errors: Record<string, string>;
}) {
  return (
    <>
      <Field
        label="Password"
        error={props.errors.password}
        hint={`At least ${MIN_PASSWORD} characters; a few unrelated words make a good one.`}
      >
        {(c) => (
          <input
            {...c}
            type="password"
            name="new-password"
            autoComplete="new-password"
            value={props.password}
            onChange={(e) => props.onPassword(e.target.value)}
          />
        )}
      </Field>
      <Field label="Password again" error={props.errors.confirm}>
        {(c) => (
          <input
            {...c}
            type="password"
            name="confirm-password"
            autoComplete="new-password"
            value={props.confirm}
            onChange={(e) => props.onConfirm(e.target.value)}
          />
        )}
      </Field>
    </>
  );
}

/** What is wrong with a new password before sending it (the server checks again). */
export function passwordProblems(password: string, confirm: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (password.length < MIN_PASSWORD) out.password = `Use at least ${MIN_PASSWORD} characters.`;
  else if (password !== confirm) out.confirm = "The two passwords are not the same.";
  return out;
}
