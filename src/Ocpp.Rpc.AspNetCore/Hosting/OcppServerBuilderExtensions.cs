using Ocpp.Rpc;
using Ocpp.Rpc.AspNetCore;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ocpp.Rpc.AspNetCore.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the server registered by <c>AddOcppServer</c>: options, handler classes, filters and observers.</summary>
public static class OcppServerBuilderExtensions
{
    private const string ScanWarning = "Finds the handler interfaces by reflection and makes generic delegates for them; use AddHandler<THandler, TRequest, TResponse>() under trimming or native AOT.";

    /// <summary>Adds a configuration step, applied after the ones registered before it (configuration sections included).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Derives the options, e.g. <c>o =&gt; o with { Authenticate = ... }</c>.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder Configure(this IOcppServerBuilder builder, Func<OcppServerOptions, OcppServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure((_, options) => configure(options));
    }

    /// <summary>Adds a configuration step that may use other services (e.g. a password store for <see cref="OcppServerOptions.Authenticate"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Derives the options from the current ones and the (root) service provider.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder Configure(this IOcppServerBuilder builder, Func<IServiceProvider, OcppServerOptions, OcppServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSingleton(OcppServerOptionsStep.FromCode(configure));
        return builder;
    }

    /// <summary>
    /// Adds a handler class for every <see cref="IOcppHandler{TRequest, TResponse}"/> and <see cref="IOcppSendHandler{TMessage}"/>
    /// it implements, each on its request's action and protocol. The class is registered as scoped (unless registered
    /// already) and resolved from a new DI scope per call, so it can take scoped services such as a <c>DbContext</c>.
    /// Two handler classes for the same action and protocol stop the host's start.
    /// </summary>
    /// <typeparam name="THandler">The handler class.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentException">The class implements no typed handler interface.</exception>
    [RequiresDynamicCode(ScanWarning)]
    [RequiresUnreferencedCode(ScanWarning)]
    public static IOcppServerBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.Interfaces)] THandler>(this IOcppServerBuilder builder)
        where THandler : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (AddHandlerType(builder.Services, typeof(THandler)) == 0)
        {
            throw new ArgumentException($"{typeof(THandler).Name} implements no IOcppHandler<TRequest, TResponse> or IOcppSendHandler<TMessage>; add an IOcppActionHandler with AddHandler<THandler>(action).", nameof(THandler));
        }

        return builder;
    }

    /// <summary>
    /// Adds a handler class for one typed request without reflection (for trimmed and native AOT applications); see
    /// <see cref="AddHandler{THandler}(IOcppServerBuilder)"/>.
    /// </summary>
    /// <typeparam name="THandler">The handler class.</typeparam>
    /// <typeparam name="TRequest">The request record.</typeparam>
    /// <typeparam name="TResponse">Its response record.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, TRequest, TResponse>(this IOcppServerBuilder builder)
        where THandler : class, IOcppHandler<TRequest, TResponse>
        where TRequest : IOcppRequest<TRequest, TResponse>
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<THandler>();
        builder.Services.AddSingleton(OcppHandlerBinding.Typed<THandler, TRequest, TResponse>());
        return builder;
    }

    /// <summary>Adds a handler class for one typed OCPP 2.1 SEND message without reflection.</summary>
    /// <typeparam name="THandler">The handler class.</typeparam>
    /// <typeparam name="TMessage">The message record.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder AddSendHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, TMessage>(this IOcppServerBuilder builder)
        where THandler : class, IOcppSendHandler<TMessage>
        where TMessage : IOcppSendMessage<TMessage>
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<THandler>();
        builder.Services.AddSingleton(OcppHandlerBinding.Send<THandler, TMessage>());
        return builder;
    }

    /// <summary>
    /// Adds an untyped handler class for a named action (a vendor action, or <c>DataTransfer</c> handled as raw JSON),
    /// resolved from a new DI scope per call.
    /// </summary>
    /// <typeparam name="THandler">The handler class.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="action">The case-sensitive action name.</param>
    /// <param name="protocol">The subprotocol it applies to, or <see langword="null"/> for every protocol.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IOcppServerBuilder builder, string action, string? protocol = null)
        where THandler : class, IOcppActionHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(action);
        builder.Services.TryAddScoped<THandler>();
        builder.Services.AddSingleton(OcppHandlerBinding.Untyped<THandler>(protocol, action));
        return builder;
    }

    /// <summary>
    /// Adds every non-abstract class of an assembly that implements <see cref="IOcppHandler{TRequest, TResponse}"/> or
    /// <see cref="IOcppSendHandler{TMessage}"/>, as <see cref="AddHandler{THandler}(IOcppServerBuilder)"/> does.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="assembly">The assembly to scan, e.g. <c>typeof(Program).Assembly</c>.</param>
    /// <returns>The same builder.</returns>
    [RequiresDynamicCode(ScanWarning)]
    [RequiresUnreferencedCode(ScanWarning)]
    public static IOcppServerBuilder AddHandlersFromAssembly(this IOcppServerBuilder builder, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (Type type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false }).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            AddHandlerType(builder.Services, type);
        }

        return builder;
    }

    /// <summary>
    /// Adds a call filter around every inbound CALL of every station, after the filters registered before it (and after
    /// <see cref="OcppConnectionOptions.CallFilters"/> set in code). The filter is a singleton; for scoped services use
    /// <see cref="OcppCallContext.Services"/>.
    /// </summary>
    /// <typeparam name="TFilter">The filter class, created by DI.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder AddCallFilter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFilter>(this IOcppServerBuilder builder)
        where TFilter : class, IOcppCallFilter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TFilter>();
        builder.Services.AddSingleton(new OcppServiceRegistration<IOcppCallFilter>(static provider => provider.GetRequiredService<TFilter>()));
        return builder;
    }

    /// <summary>Adds a call filter instance (see <see cref="AddCallFilter{TFilter}(IOcppServerBuilder)"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="filter">The filter.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder AddCallFilter(this IOcppServerBuilder builder, IOcppCallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(filter);
        builder.Services.AddSingleton(new OcppServiceRegistration<IOcppCallFilter>(_ => filter));
        return builder;
    }

    /// <summary>
    /// Adds a filter around every outbound CALL and SEND to every station (see <see cref="IOcppOutboundCallFilter"/>),
    /// after the ones registered before it (and after <see cref="OcppConnectionOptions.OutboundCallFilters"/> set in
    /// code). The filter is a singleton made by DI.
    /// </summary>
    /// <typeparam name="TFilter">The filter class.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder AddOutboundCallFilter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFilter>(this IOcppServerBuilder builder)
        where TFilter : class, IOcppOutboundCallFilter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TFilter>();
        builder.Services.AddSingleton(new OcppServiceRegistration<IOcppOutboundCallFilter>(static provider => provider.GetRequiredService<TFilter>()));
        return builder;
    }

    /// <summary>Adds an outbound call filter instance (see <see cref="AddOutboundCallFilter{TFilter}(IOcppServerBuilder)"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="filter">The filter.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder AddOutboundCallFilter(this IOcppServerBuilder builder, IOcppOutboundCallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(filter);
        builder.Services.AddSingleton(new OcppServiceRegistration<IOcppOutboundCallFilter>(_ => filter));
        return builder;
    }

    /// <summary>Adds an observer of every message to and from every station (see <see cref="IOcppMessageObserver"/>), a singleton made by DI.</summary>
    /// <typeparam name="TObserver">The observer class.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder AddMessageObserver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TObserver>(this IOcppServerBuilder builder)
        where TObserver : class, IOcppMessageObserver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TObserver>();
        builder.Services.AddSingleton(new OcppServiceRegistration<IOcppMessageObserver>(static provider => provider.GetRequiredService<TObserver>()));
        return builder;
    }

    /// <summary>Adds an observer instance of every message to and from every station.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="observer">The observer.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder AddMessageObserver(this IOcppServerBuilder builder, IOcppMessageObserver observer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(observer);
        builder.Services.AddSingleton(new OcppServiceRegistration<IOcppMessageObserver>(_ => observer));
        return builder;
    }

    private static readonly MethodInfo TypedBinding = typeof(OcppHandlerBinding).GetMethod(nameof(OcppHandlerBinding.Typed))!;
    private static readonly MethodInfo SendBinding = typeof(OcppHandlerBinding).GetMethod(nameof(OcppHandlerBinding.Send))!;

    [RequiresDynamicCode(ScanWarning)]
    [RequiresUnreferencedCode(ScanWarning)]
    private static int AddHandlerType(IServiceCollection services, Type type)
    {
        int added = 0;
        foreach (Type contract in type.GetInterfaces().Where(i => i.IsGenericType).OrderBy(i => i.ToString(), StringComparer.Ordinal))
        {
            Type definition = contract.GetGenericTypeDefinition();
            MethodInfo? factory = definition == typeof(IOcppHandler<,>) ? TypedBinding : definition == typeof(IOcppSendHandler<>) ? SendBinding : null;
            if (factory is null)
            {
                continue;
            }

            var binding = (OcppHandlerBinding)factory.MakeGenericMethod([type, .. contract.GetGenericArguments()]).Invoke(null, null)!;
            services.AddSingleton(binding);
            added++;
        }

        if (added > 0)
        {
            services.TryAddScoped(type);
        }

        return added;
    }
}
