'use client';

import { useState } from 'react';
import PhoneInput, { getCountryCallingCode } from 'react-phone-number-input';
import type { Country } from 'react-phone-number-input';
import flags from 'react-phone-number-input/flags';
import 'react-phone-number-input/style.css';
import { FieldFrame, fieldAria } from './form-fields';

/**
 * Phone number with a country picker (bundled flags: nothing is loaded from the internet). The
 * hidden field carries E.164 to the server, which validates it again and explains any problem.
 * The chosen country's calling code is shown next to the field; with `countryRequired` the picker
 * has no "International" entry, so a country is always chosen.
 */
export function PhoneField({
  name,
  label,
  hint,
  defaultValue,
  defaultCountry,
  errors,
  disabled,
  countryRequired,
}: {
  name: string;
  label: string;
  hint?: string;
  defaultValue?: string | null;
  defaultCountry?: string;
  errors?: string[];
  disabled?: boolean;
  countryRequired?: boolean;
}) {
  const [value, setValue] = useState<string | undefined>(defaultValue ?? undefined);
  const [country, setCountry] = useState<Country | undefined>(defaultCountry as Country | undefined);
  const { id, ...aria } = fieldAria(name, hint, errors);
  return (
    <FieldFrame name={name} label={label} hint={hint} errors={errors}>
      <PhoneInput
        id={id}
        flags={flags}
        value={value}
        onChange={setValue}
        onCountryChange={setCountry}
        addInternationalOption={!countryRequired}
        defaultCountry={defaultCountry as Country | undefined}
        disabled={disabled}
        className="phone-input"
        numberInputProps={{ ...aria, autoComplete: 'tel' }}
      />
      {country ? <p className="phone-calling-code">Calling code +{getCountryCallingCode(country)}</p> : null}
      <input type="hidden" name={name} value={value ?? ''} />
    </FieldFrame>
  );
}
