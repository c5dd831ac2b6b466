/**
 * The OCI runtime-spec 1.2 documents for Linux ({@link io.jruntime.spec.Spec config.json},
 * {@link io.jruntime.spec.Process exec --process}, {@link io.jruntime.spec.State state},
 * {@link io.jruntime.spec.Features features}, {@link io.jruntime.spec.Resources update --resources}), how to read
 * and write them ({@link io.jruntime.spec.SpecIO}) and how to validate them ({@link io.jruntime.spec.SpecValidator}).
 *
 * <p>Conventions of the model:
 * <ul>
 *   <li>Records are immutable; lists and maps are copied. {@code null} means the field is absent, so a value read
 *       and written back keeps exactly the fields it had ({@code "terminal": false} stays, a missing one stays
 *       missing). Booleans and numbers are therefore boxed.</li>
 *   <li>Every object keeps the fields the model does not know in {@code unknownFields} and writes them back.</li>
 *   <li>uint32 values (ids, masks) are {@code Long}; uint64 values are {@code Long} holding the unsigned bit
 *       pattern and are marked {@link io.jruntime.spec.Uint64 @Uint64}.</li>
 *   <li>Names from closed sets (namespace types, capabilities, seccomp actions, ...) are plain strings, so that a
 *       wrong one can be reported by name; {@link io.jruntime.spec.KnownValues} lists the valid ones.</li>
 * </ul>
 *
 * <p>{@code Process} shares its simple name with {@link java.lang.Process}: import
 * {@code io.jruntime.spec.Process} by name, since {@code import io.jruntime.spec.*} leaves it ambiguous.
 */
package io.jruntime.spec;
